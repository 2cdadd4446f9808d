// (bypassCSP only lets the test inject axe-core; the pages themselves keep their strict CSP.)
// The MARC editor in a real browser: changing the type of record (leader/06)
// swaps the 008 helper to that material's positions over htmx, without
// inline scripts, keeping the rest of the form; every state passes axe-core.
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

test("the 008 helper follows the type of record", async () => {
  const ctx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const page = await ctx.newPage();
  const cspErrors = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
  });
  await page.goto(server.url + "/login");
  await page.focus("#f-username");
  await page.keyboard.type(server.demo.staff.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(server.demo.staff.password);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.url + "/staff");

  await page.goto(server.url + "/staff/catalog/records/new");
  assert.ok(await page.isVisible("label[for='f-f008-books-18']"), "books layout first");
  // A value typed in the books layout, and a field row, survive the switch.
  await page.fill("[name='row_value'] >> nth=0", "$aBản đồ Việt Nam");
  await page.selectOption("#f-ldr-06", "e");
  await page.waitForSelector("label[for='f-f008-maps-22']");
  assert.match(await page.textContent("#f-f008 legend"), /for maps/);
  assert.equal(await page.isVisible("label[for='f-f008-books-18']"), false);
  assert.equal(await page.inputValue("[name='row_value'] >> nth=0"), "$aBản đồ Việt Nam");
  await checkA11y(page, "editor-008-maps-en");

  await page.selectOption("#f-ldr-06", "g");
  await page.waitForSelector("label[for='f-f008-visual-18']");
  assert.match(await page.textContent("label[for='f-f008-visual-18']"), /Running time/);
  await page.selectOption("#f-ldr-06", "a");
  await page.selectOption("#f-ldr-07", "s");
  await page.waitForSelector("label[for='f-f008-serials-18']");
  await checkA11y(page, "editor-008-serials-en");
  assert.deepEqual(cspErrors, []);
  await ctx.close();
});
