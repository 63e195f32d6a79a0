// Lighthouse (pinned npm dev dependency, 12.2.3: works on Node 20) against Debian's chromium.
// Usage: node tests/site/lighthouse.mjs <url> [<url> ...]
// Prints one JSON object: {"<url> <mobile|desktop>": {"scores": {...}, "failed": [...]}}
// for the accessibility, best-practices and SEO categories. One browser serves every run.
import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import * as chromeLauncher from "chrome-launcher";

const CATEGORIES = ["accessibility", "best-practices", "seo"];
const urls = process.argv.slice(2);
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const out = {};
try {
  for (const url of urls) {
    for (const device of ["mobile", "desktop"]) {
      const config = device === "desktop" ? desktopConfig : undefined;
      const result = await lighthouse(url, {
        port: chrome.port, output: "json", logLevel: "error", onlyCategories: CATEGORIES,
      }, config);
      const lhr = result.lhr;
      const scores = Object.fromEntries(CATEGORIES.map((c) => [c, Math.round(lhr.categories[c].score * 100)]));
      const failed = [];
      for (const c of CATEGORIES) {
        for (const ref of lhr.categories[c].auditRefs) {
          const audit = lhr.audits[ref.id];
          if (ref.weight > 0 && audit.score !== null && audit.score < 1) {
            const items = (audit.details && audit.details.items) || [];
            failed.push({category: c, id: ref.id, title: audit.title,
                         items: items.slice(0, 5).map((i) => (i.node && i.node.snippet) || i.url || i.source || "")});
          }
        }
      }
      out[`${url} ${device}`] = {scores, failed, runtimeError: lhr.runtimeError ? lhr.runtimeError.message : null};
    }
  }
} finally {
  await chrome.kill();
}
process.stdout.write(JSON.stringify(out, null, 1) + "\n");
