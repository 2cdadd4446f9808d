// Holds in a real browser: a circulation clerk places a hold from a
// record's hold queue with the keyboard, the copy comes back and goes in
// transit (JSON API with the session), the clerk scans it in on the
// transits page (barcode field focused, Enter) and sees the hold slip; the
// hold shelf, pull list and transits pages pass axe-core in three languages.
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

test("place a hold, receive the copy in transit, hold slip, lists pass axe", async () => {
  const { demo } = server;
  const clerk = demo.staff_accounts.find((a) => a.roles.includes("circulation"));
  const item = demo.items.find((i) => i.status === "available");
  const pickup = demo.branches.find((b) => b !== item.branch);
  const [ana, ben] = [demo.patrons[0].barcode, demo.patrons[1].barcode];

  const ctx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(server.url + "/login");
  await page.focus("#f-username");
  await page.keyboard.type(clerk.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(clerk.password);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.url + "/staff");
  const csrf = await page.getAttribute('meta[name="csrf-token"]', "content");
  const api = async (path, data) => {
    const r = await page.request.post(server.url + path, { data, headers: { "x-csrf-token": csrf } });
    return [r.status(), await r.json()];
  };

  // Ana borrows the copy.
  const [st, loan] = await api("/api/v1/checkouts", { patron: ana, item: item.barcode });
  assert.equal(st, 201, JSON.stringify(loan));

  // The record's hold queue: an empty submit shows the error summary.
  await page.goto(`${server.url}/staff/holds/record/${loan.record_id}`);
  await checkA11y(page, "holds-record-empty-en");
  await page.focus("#f-patron");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".error-summary");
  assert.equal(await page.getAttribute("#f-patron", "aria-invalid"), "true");
  await checkA11y(page, "holds-record-errors-en");
  // Ben's hold, picked up at another branch: type the card, Enter.
  await page.selectOption("#f-pickup", pickup);
  await page.focus("#f-patron");
  await page.keyboard.type(ben);
  await page.keyboard.press("Enter");
  await page.waitForURL(/notice=placed/);
  assert.ok((await page.textContent("table")).includes(ben));
  await checkA11y(page, "holds-record-en");

  // Returned at its branch: in transit to the pickup branch.
  const [st2, ci] = await api("/api/v1/checkins", { item: item.barcode, branch: item.branch });
  assert.equal(st2, 200);
  assert.equal(ci.route, "transit");

  // The transits page of the pickup branch: the barcode field has the focus.
  await page.goto(`${server.url}/staff/transits?branch=${pickup}`);
  assert.ok((await page.textContent("table")).includes(item.barcode));
  await checkA11y(page, "transits-en");
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-item");
  await page.keyboard.type(item.barcode);
  await page.keyboard.press("Enter");
  await page.waitForSelector(".notice");
  const slip = await page.textContent(".notice");
  assert.ok(slip.includes(ben), slip);
  assert.ok(slip.includes(pickup), slip);
  assert.equal(await page.evaluate(() => document.activeElement.id), "f-item", "ready for the next scan");
  await checkA11y(page, "transits-received-en");
  // An unknown barcode: the field is marked invalid.
  await page.keyboard.type("NO-SUCH-ITEM");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".error-summary");
  assert.equal(await page.getAttribute("#f-item", "aria-invalid"), "true");

  const pages = [`/staff/holds/shelf?branch=${pickup}`, `/staff/holds/pull-list?branch=${item.branch}`, `/staff/transits?branch=${item.branch}`, `/staff/holds/record/${loan.record_id}`];
  await page.goto(server.url + pages[0]);
  assert.ok((await page.textContent("table")).includes(item.barcode));
  for (const lang of ["en", "vi", "fil"]) {
    await page.goto(server.url + "/staff");
    await page.selectOption("#lang-select", lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    for (const p of pages) {
      await page.goto(server.url + p);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      await checkA11y(page, "holds" + p.split("?")[0].replaceAll("/", "-") + "-" + lang);
    }
  }
  await ctx.close();
});
