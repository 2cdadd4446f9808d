// (bypassCSP only lets the test inject axe-core; the pages themselves keep their strict CSP.)
// Shelf pages in a real browser: a staff member checks a book in, finds it
// on the shelving cart, scans it back onto the shelf with the keyboard
// (htmx swaps the cart), reads a shelf section, and a patron browses the
// shelf; every page passes axe-core in three languages.
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

test("shelving cart, scan to shelve, shelf reading and shelf browse", async () => {
  const ctx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(server.url + "/login");
  await page.focus("#f-username");
  await page.keyboard.type(server.demo.staff.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(server.demo.staff.password);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.url + "/staff");

  // Return an available MAIN book: it goes on the cart.
  const item = server.demo.items.find((i) => i.status === "available" && i.branch === "MAIN");
  const token = await page.getAttribute('meta[name="csrf-token"]', "content");
  const r = await page.request.post(server.url + "/api/v1/checkins", { data: { item: item.barcode }, headers: { "X-CSRF-Token": token } });
  assert.equal(r.status(), 200);

  await page.goto(server.url + "/staff/shelf/carts?branch=MAIN");
  assert.ok((await page.textContent("#cart-area")).includes(item.barcode));
  await checkA11y(page, "shelf-carts-en");
  const cart = await (await page.request.get(server.url + "/api/v1/shelf/carts?branch=MAIN&size=500")).json();
  const onCart = cart.items.find((i) => i.barcode === item.barcode);
  assert.ok(onCart, "checked-in book is on the cart");

  // Scan it as shelved: the scanner types the barcode and Enter.
  await page.focus("#f-barcodes");
  await page.keyboard.type(item.barcode);
  await page.keyboard.press("Enter");
  await page.waitForSelector("#cart-area .notice");
  assert.ok((await page.textContent("#cart-area .notice")).includes(item.barcode));
  await checkA11y(page, "shelf-carts-shelved-en");

  // Shelf reading: an empty scan list is an error announced on the field.
  await page.goto(server.url + "/staff/shelf/inventory");
  await checkA11y(page, "shelf-inventory-en");
  await page.click("button:has-text('Check the section')");
  await page.waitForSelector(".error-summary");
  assert.equal(await page.getAttribute("#f-barcodes", "aria-invalid"), "true");
  await checkA11y(page, "shelf-inventory-errors-en");
  await page.selectOption("#f-branch", "MAIN");
  await page.focus("#f-barcodes");
  await page.keyboard.type(item.barcode);
  await page.click("button:has-text('Check the section')");
  await page.waitForSelector("#report-title");
  await checkA11y(page, "shelf-inventory-report-en");

  // The labels form, and its error summary when the barcode list is empty.
  await page.goto(server.url + "/staff/shelf/labels");
  await checkA11y(page, "shelf-labels-en");
  await page.click("button:has-text('Make the PDF')");
  await page.waitForSelector(".error-summary");
  await checkA11y(page, "shelf-labels-errors-en");

  // Call number schemes: a branch gets its own default, from the keyboard.
  await page.goto(server.url + "/staff/catalog/call-numbers");
  await checkA11y(page, "shelf-call-numbers-en");
  await page.selectOption("#f-branch", "NORTH");
  await page.selectOption("#f-branch_scheme", "other");
  await page.focus("#f-branch_scheme");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".notice");
  assert.equal((await page.textContent('td[data-branch="NORTH"]')).trim(), "Other or local");
  await checkA11y(page, "shelf-call-numbers-saved-en");

  // The public shelf browse (no login needed).
  const pub = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const p2 = await pub.newPage();
  await p2.goto(server.url + `/shelf/browse?item=${onCart.item_id}`);
  assert.ok(await p2.isVisible('li[aria-current="true"]'));
  await checkA11y(p2, "shelf-browse-en");
  await p2.goto(server.url + `/record/${onCart.record_id}`);
  await checkA11y(p2, "shelf-record-en");
  for (const lang of ["vi", "fil"]) {
    await p2.selectOption("#lang-select", lang);
    await p2.waitForFunction((l) => document.documentElement.lang === l, lang);
    await p2.goto(server.url + `/shelf/browse?item=${onCart.item_id}`);
    await checkA11y(p2, `shelf-browse-${lang}`);
    await page.goto(server.url + "/staff");
    await page.selectOption("#lang-select", lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    for (const path of ["/staff/shelf/carts?branch=MAIN", "/staff/shelf/inventory", "/staff/shelf/labels", "/staff/catalog/call-numbers"]) {
      await page.goto(server.url + path);
      await checkA11y(page, "shelf" + path.split("?")[0].replaceAll("/", "-") + "-" + lang);
    }
  }
  await pub.close();
  await ctx.close();
});
