// Lost items at the desk in a real browser, keyboard only: a clerk scans a
// patron's card, lends an item, marks it lost from the patron's loans list
// (disclosure, kind, reason, Enter), then checks it in and sees the "lost
// item found" outcome with the refund. Pages pass axe-core.
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

const activeId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

async function tabTo(page, selector, max = 80) {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => !!document.activeElement && document.activeElement.matches(s), selector)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached ${selector}`);
}

test("keyboard-only: mark a loan lost from the patron's loans, check it in, see 'lost item found'", async () => {
  const ctx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const page = await ctx.newPage();
  const account = server.demo.staff_accounts.find((a) => a.roles.includes("circulation"));
  await page.goto(server.url + "/login");
  await page.focus("#f-username");
  await page.keyboard.type(account.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(account.password);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.url + "/staff");

  await page.goto(server.url + "/staff/circ/checkout");
  assert.equal(await activeId(page), "f-patron");
  const patron = server.demo.patrons[3];
  await page.keyboard.type(patron.barcode);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#summary-h");
  const item = server.demo.items.filter((i) => i.status === "available")[7];
  await page.keyboard.type(item.barcode);
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => document.querySelectorAll("#loans tbody tr").length === 1);

  // Open "Lost or claims returned…" on the loan, keep "Lost", give a reason.
  await tabTo(page, "#loans details.mark-forms > summary");
  await page.keyboard.press("Enter");
  await tabTo(page, "#loans input[type=radio][value=lost]");
  assert.equal(await page.isChecked("#loans input[type=radio][value=lost]"), true);
  await page.keyboard.press("Tab");
  assert.match(await activeId(page), /^f-mark-reason-/);
  await page.keyboard.type("Patron left it on the bus");
  await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
  const line = await page.textContent("#scan-results > li:first-child");
  assert.ok(line.includes("Marked lost"), line);
  assert.ok(line.includes(item.barcode), line);
  assert.ok(line.includes("Charged"), line);
  const row = await page.textContent("#loans tbody tr");
  assert.ok(row.includes("Lost"), `the loan is shown as lost: ${row}`);
  await checkA11y(page, "lost-marked-en");

  // Check it in: the outcome says what was resolved.
  await page.goto(server.url + "/staff/circ/checkin?branch=" + item.branch);
  assert.equal(await activeId(page), "f-item");
  await page.keyboard.type(item.barcode);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#scan-results > li");
  const outcome = await page.textContent("#scan-results > li:first-child");
  assert.ok(outcome.includes("Lost item found"), outcome);
  assert.ok(outcome.includes("Replacement fee refunded"), outcome);
  assert.equal(await activeId(page), "f-item", "focus stays in the item field");
  await checkA11y(page, "lost-found-checkin-en");
  await ctx.close();
});
