// The circulation desk in a real browser, keyboard only: a clerk logs in,
// scans a demo patron's card, scans three items one after another (Enter
// submits, htmx swaps each result in, the focus stays in the item field),
// finishes with the due-date slip and its print view, then checks one item
// in at another branch and opens the transit slip. Every desk page passes
// axe-core in English, Filipino and Vietnamese.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { startDemo, launch, axe, shot } from "./harness.js";

let server;
let browser;

before(async () => {
  server = await startDemo();
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

async function loginWithKeyboard(page, username, password) {
  await page.goto(server.url + "/login");
  await page.focus("#f-username");
  await page.keyboard.type(username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(password);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.url + "/staff");
}

const activeId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

/** Presses Tab until the focused element matches the selector. */
async function tabTo(page, selector, max = 60) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached ${selector}`);
}

test("keyboard-only checkout of three items, slip, print view, checkin with a transit slip", async () => {
  const ctx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const page = await ctx.newPage();
  const account = server.demo.staff_accounts.find((a) => a.roles.includes("circulation"));
  await loginWithKeyboard(page, account.username, account.password);

  // The navigation leads to the desk; the patron field has the focus.
  await tabTo(page, "nav.main a[href='/staff/circ/checkout']");
  await page.keyboard.press("Enter");
  await page.waitForURL(server.url + "/staff/circ/checkout");
  assert.equal(await activeId(page), "f-patron");
  await checkA11y(page, "desk-checkout-empty-en");

  // Scan the patron's card (a scanner types the digits and Enter).
  const patron = server.demo.patrons[0];
  await page.keyboard.type(patron.barcode);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#summary-h");
  assert.equal(await activeId(page), "f-item", "focus moves to the item field");

  // Three items, one after another, without the mouse.
  const items = server.demo.items.filter((i) => i.status === "available").slice(0, 3);
  assert.equal(items.length, 3);
  for (const [n, item] of items.entries()) {
    await page.keyboard.type(item.barcode);
    await page.keyboard.press("Enter");
    await page.waitForFunction((k) => document.querySelectorAll("#scan-results > li").length === k, n + 1);
    const first = await page.textContent("#scan-results > li:first-child");
    assert.ok(first.includes("Checked out"), `line for ${item.barcode}: ${first}`);
    assert.ok(first.includes(item.barcode));
    assert.ok(first.includes("Why this date"), "the due date is explained");
    assert.equal(await activeId(page), "f-item", "focus stays in the item field");
    assert.equal(await page.inputValue("#f-item"), "", "the field is empty for the next scan");
  }
  // Scanning one of them again is refused, with the reason.
  await page.keyboard.type(items[0].barcode);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll("#scan-results > li").length === 4);
  const refused = await page.textContent("#scan-results > li:first-child");
  assert.ok(refused.includes("The patron already has this item."), refused);
  assert.equal(await page.locator("#loans tbody tr").count(), 3, "the loan list follows the scans");
  await checkA11y(page, "desk-checkout-scanned-en");

  // Finish: the due-date slip lists the three items.
  await tabTo(page, "#finish");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/staff\/circ\/checkout\/slip/);
  assert.equal(await page.locator(".slip tbody tr").count(), 3);
  for (const item of items) assert.ok((await page.textContent(".slip")).includes(item.barcode));
  await checkA11y(page, "desk-slip-en");
  // The print view shows the slip alone.
  await page.emulateMedia({ media: "print" });
  assert.equal(await page.isVisible("header.site"), false, "no site header on paper");
  assert.equal(await page.isVisible(".no-print"), false, "no buttons on paper");
  assert.equal(await page.isVisible(".slip"), true);
  await shot(page, "desk-slip-print-en");
  await page.emulateMedia({ media: "screen" });

  // Check the first item in at another branch: a transit slip.
  const other = server.demo.branches.find((b) => b !== items[0].branch);
  await page.goto(server.url + "/staff/circ/checkin?branch=" + other);
  assert.equal(await activeId(page), "f-item");
  await page.keyboard.type(items[0].barcode);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#scan-results > li");
  const outcome = await page.textContent("#scan-results > li:first-child");
  assert.ok(outcome.includes("Send to another branch"), outcome);
  assert.ok(outcome.includes(items[0].branch), outcome);
  assert.equal(await activeId(page), "f-item");
  await checkA11y(page, "desk-checkin-en");
  // The slip opens from its link with the keyboard.
  await tabTo(page, "#scan-results a.button");
  const popup = ctx.waitForEvent("page");
  await page.keyboard.press("Enter");
  const slip = await popup;
  await slip.waitForLoadState();
  assert.ok((await slip.textContent("h1")).includes("Transit slip"));
  assert.ok((await slip.textContent(".slip")).includes(items[0].barcode));
  await checkA11y(slip, "desk-transit-slip-en");
  await slip.close();
  await ctx.close();
});

test("desk and fees pages pass axe in three languages", async () => {
  const ctx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const page = await ctx.newPage();
  const account = server.demo.staff_accounts.find((a) => a.roles.includes("circulation"));
  await loginWithKeyboard(page, account.username, account.password);
  const patron = server.demo.patrons[1];
  await page.goto(server.url + "/staff/circ/checkout?patron=" + patron.barcode);
  const feesHref = await page.getAttribute("a[href$='/fees']", "href");
  // A fee, so the ledger and the receipt have a line.
  await page.goto(server.url + feesHref);
  await page.fill("#f-charge-amount", "12.50");
  await page.fill("#f-charge-note", "Replacement card");
  await page.click("form[action$='/charges'] button");
  await page.waitForSelector("#posted");
  const receiptHref = await page.getAttribute("#posted a", "href");
  for (const lang of ["en", "fil", "vi"]) {
    await page.goto(server.url + "/staff");
    await page.selectOption("#lang-select", lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    for (const [name, path] of [
      ["checkout", "/staff/circ/checkout?patron=" + patron.barcode],
      ["checkin", "/staff/circ/checkin"],
      ["fees", feesHref],
      ["receipt", receiptHref],
    ]) {
      await page.goto(server.url + path);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      await checkA11y(page, `desk-${name}-${lang}`);
    }
    // A form with an error: more than the balance.
    await page.goto(server.url + feesHref);
    await page.fill("#f-pay-amount", "999");
    await page.click("form[action$='/payments'] button");
    await page.waitForSelector(".error-summary");
    await checkA11y(page, `desk-fees-error-${lang}`);
  }
  await ctx.close();
});
