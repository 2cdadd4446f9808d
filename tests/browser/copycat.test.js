// (bypassCSP only lets the test inject axe-core; the pages themselves keep their strict CSP.)
// Copy cataloging in a real browser, keyboard only: a cataloger searches
// the demo's own Z39.50 target ("This library (Z39.50)", configured by
// `quire demo --z3950`) by ISBN from /staff/catalog/copy, sees the record,
// imports it (key 1), is warned that it is already in the catalog and
// imports it anyway (key 2), opens the new record in the MARC editor
// (key 3) and saves it; axe-core is clean on every page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo, launch, axe, shot } from "./harness.js";

let server;
let browser;

before(async () => {
  server = await startDemo(["--z3950", "127.0.0.1:0"]);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function checkA11y(page, name) {
  const violations = await axe(page);
  await shot(page, name);
  assert.deepEqual(violations, [], `${name}: axe-core violations:\n${JSON.stringify(violations, null, 2)}`);
}

/** Moves the keyboard focus with Tab until `selector` has it (at most 60 presses). */
async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

test("copy a record from this library's Z39.50 server by ISBN, keyboard only", async () => {
  const ctx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const page = await ctx.newPage();
  const cataloger = server.demo.staff_accounts.find((a) => a.roles.includes("cataloger"));
  assert.ok(cataloger, "the demo has a cataloger");
  await page.goto(server.url + "/login");
  await page.focus("#f-username");
  await page.keyboard.type(cataloger.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(cataloger.password);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.url + "/staff");

  // The search form: the ISBN field has the focus (autofocus), ISBN is the
  // default kind, the demo's own targets are ticked.
  await page.goto(server.url + "/staff/catalog/copy");
  await checkA11y(page, "copy-form-en");
  const own = page.getByLabel("This library (Z39.50)");
  assert.ok(await own.isChecked(), "this library's Z39.50 target is ticked");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "f-q");
  await page.keyboard.type("978-1-86330-562-4");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".copy-results");
  const section = page.locator("section", { has: page.locator("h3", { hasText: "This library (Z39.50)" }) });
  assert.match(await section.textContent(), /1 record found/);
  assert.match(await section.textContent(), /The house of the Lord/);
  await checkA11y(page, "copy-results-en");

  // Key 1: import the hit found on this library's Z39.50 server.
  await section.locator("button").first().focus();
  await page.keyboard.press("Enter");
  await page.waitForSelector("text=This record may already be in your catalog");
  assert.match(await page.textContent(".error-summary"), /This library \(Z39\.50\)/);
  assert.match(await page.textContent("main"), /same ISBN/);
  await checkA11y(page, "copy-duplicates-en");

  // Key 2: import it anyway, as a new record.
  await tabTo(page, 'input[name="as_new"] ~ button[type=submit]');
  assert.match(await page.evaluate(() => document.activeElement.textContent), /Import as a new record anyway/);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/record\/\d+\?notice=copy-imported/);
  const id = page.url().match(/\/record\/(\d+)/)[1];
  assert.match(await page.textContent("[role=status]"), /The record was copied into your catalog/);
  await checkA11y(page, "copy-imported-en");

  // Key 3: open it in the MARC editor, then save it.
  await tabTo(page, `a[href="/staff/catalog/records/${id}/edit"]`);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.url + `/staff/catalog/records/${id}/edit`);
  await checkA11y(page, "copy-editor-en");
  await tabTo(page, "button[name=action][value=save]");
  await page.keyboard.press("Enter");
  // This record carries an obsolete code in an undefined 008 position (the
  // old "main entry in body" flag): the editor shows it as a warning, and a
  // ticking "save anyway" and saving again confirms it, from the keyboard.
  // Wait for the answer to this save (the record page, or the editor with
  // the warnings), not just for the current page's load state: that could
  // still be the editor from before the form was sent.
  await Promise.race([
    page.waitForURL(/notice=saved/),
    page.waitForSelector("text=Please check these warnings, then save again"),
  ]);
  if (!page.url().includes("notice=saved")) {
    assert.match(await page.textContent("main"), /Please check these warnings, then save again/);
    // The checkbox sits under the whole form (leader, 008, every field).
    await tabTo(page, 'input[name="accept_warnings"]', 400);
    await page.keyboard.press("Space");
    await tabTo(page, "button[name=action][value=save]");
    await page.keyboard.press("Enter");
  }
  await page.waitForURL(server.url + `/staff/catalog/records/${id}?notice=saved`);
  assert.match(await page.textContent("main"), /The house of the Lord/);
  await checkA11y(page, "copy-saved-en");

  // The same screens in Filipino and Vietnamese pass axe-core too.
  for (const lang of ["fil", "vi"]) {
    await page.goto(server.url + "/staff");
    await page.selectOption("#lang-select", lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await page.goto(server.url + "/staff/catalog/copy");
    await checkA11y(page, `copy-form-${lang}`);
    await page.focus("#f-q");
    await page.keyboard.type("9781863305624");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".copy-results");
    await checkA11y(page, `copy-results-${lang}`);
  }
  await ctx.close();
});
