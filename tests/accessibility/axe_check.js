// axe-core over one HTML file in headless Chromium, for tests/test_report_accessibility.py.
//
//   node axe_check.js REPORT.html PROFILE_FOLDER [CHROMIUM]
//
// Prints one JSON object: axe's version, and every violation and "needs review" result
// (rule, impact, tags, help, the first few elements), for WCAG 2.0-2.2 A and AA and
// axe's best practices. The browser is started with no network of its own (the report
// is one self-contained file) and a profile folder the test owns.
"use strict";

const path = require("path");
const axe = require("axe-core");
const puppeteer = require("puppeteer-core");

const TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

function summary(results) {
  return results.map((r) => ({
    id: r.id,
    impact: r.impact,
    tags: r.tags,
    help: r.help,
    nodes: r.nodes.length,
    targets: r.nodes.slice(0, 5).map((n) => n.target.join(" ")),
  }));
}

async function main() {
  const [report, profile, chromium] = process.argv.slice(2);
  const browser = await puppeteer.launch({
    executablePath: chromium || process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    userDataDir: profile,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  try {
    const page = await browser.newPage();
    await page.goto("file://" + path.resolve(report), { waitUntil: "load" });
    await page.addScriptTag({ content: axe.source });
    const results = await page.evaluate(
      (tags) => window.axe.run(document, { runOnly: { type: "tag", values: tags } }),
      TAGS,
    );
    const out = {
      axe: axe.version,
      violations: summary(results.violations),
      incomplete: summary(results.incomplete),
      passes: results.passes.length,
    };
    process.stdout.write(JSON.stringify(out, null, 1) + "\n");
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  process.stderr.write(String(error && error.stack ? error.stack : error) + "\n");
  process.exit(2);
});
