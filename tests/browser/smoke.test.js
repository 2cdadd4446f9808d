// (bypassCSP only lets the test inject axe-core; the pages themselves keep their strict CSP.)
// Smoke test in a real browser: a staff member logs in with the keyboard,
// visits the staff pages, switches to Vietnamese and Filipino, and every
// page passes axe-core with zero violations. Screenshots go to artifacts/.
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

test("public landing page is accessible in three languages", async () => {
  const ctx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(server.url + "/");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await checkA11y(page, "home-en");
  // Skip link is the first thing the keyboard reaches.
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.className), "skip-link");
  for (const [lang, text] of [["vi", "Chào mừng"], ["fil", "Maligayang"]]) {
    await page.selectOption("#lang-select", lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    assert.ok((await page.textContent("h1")).includes(text), `${lang} heading`);
    await checkA11y(page, `home-${lang}`);
  }
  await ctx.close();
});

test("staff logs in with the keyboard and every staff page passes axe", async () => {
  const ctx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(server.url + "/login");
  await checkA11y(page, "login-en");
  await page.focus("#f-username");
  await page.keyboard.type(server.demo.staff.username);
  await page.keyboard.press("Tab");
  await page.keyboard.type(server.demo.staff.password);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.url + "/staff");
  assert.ok((await page.textContent("h1")).length > 0);
  const pages = ["/staff", "/staff/branches", "/staff/users", "/staff/audit", "/staff/api-tokens", "/staff/account", "/staff/catalog/import", "/staff/catalog/quarantine", "/staff/catalog/records/new", "/staff/catalog/records/1", "/staff/catalog/records/1/edit", "/staff/catalog/records/1/items/new", "/staff/items/1/edit", "/staff/catalog/holdings", "/browse?index=author&from=n", "/staff/notices", "/api",
    "/staff/patrons?q=santos", "/staff/patrons/new", "/staff/patrons/1", "/staff/patrons/1/edit",
    "/staff/circ/rules?test_category=ADULT&test_item_type=DVD&test_branch=MAIN", "/staff/circ/cards"];
  for (const p of pages) {
    await page.goto(server.url + p);
    await checkA11y(page, "staff" + p.replaceAll("/", "-") + "-en");
  }
  // A branch detail page with its hours and locations form.
  await page.goto(server.url + "/staff/branches");
  await page.click("table a >> text=MAIN");
  await checkA11y(page, "staff-branch-en");
  // A form with errors: the error summary and the invalid field are announced.
  await page.goto(server.url + "/staff/users");
  await page.click("button:has-text('Create account')");
  await page.waitForSelector(".error-summary");
  await checkA11y(page, "staff-users-errors-en");
  // Patron registration with errors (guardian, e-mail) is announced too.
  await page.goto(server.url + "/staff/patrons/new");
  await page.fill("#f-last_name", "Santos");
  await page.fill("#f-birth_date", "2016-02-03");
  await page.fill("#f-email", "not-an-email");
  await page.click("button:has-text('Register')");
  await page.waitForSelector(".error-summary");
  assert.equal(await page.getAttribute("#f-guardian", "aria-invalid"), "true");
  await checkA11y(page, "staff-patron-new-errors-en");

  for (const lang of ["vi", "fil"]) {
    await page.goto(server.url + "/staff");
    await page.selectOption("#lang-select", lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    for (const p of pages) {
      await page.goto(server.url + p);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      await checkA11y(page, "staff" + p.replaceAll("/", "-") + "-" + lang);
    }
  }
  await ctx.close();
});

test("a patron searches the catalog and opens a record, in three languages", async () => {
  const ctx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(server.url + "/");
  // Keyboard only: skip link, then Tab to the search box, type, Enter.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await page.focus("#home-q");
  await page.keyboard.type("lich su");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\?q=lich\+su/);
  const count = await page.textContent("#results-h");
  assert.match(count, /Results 1–\d+ of \d+/);
  await checkA11y(page, "search-en");
  // Narrow by a facet, then open the first record.
  await page.click(".facets a >> nth=1");
  await page.waitForLoadState();
  await checkA11y(page, "search-facet-en");
  await page.click(".result-list h3 a >> nth=0");
  await page.waitForURL(/\/record\/\d+/);
  await checkA11y(page, "record-en");
  for (const lang of ["vi", "fil"]) {
    await page.selectOption("#lang-select", lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    await checkA11y(page, `record-${lang}`);
    await page.goto(server.url + "/search?q=vietnam");
    await checkA11y(page, `search-${lang}`);
    await page.goto(server.url + "/help");
    await checkA11y(page, `help-${lang}`);
  }
  await ctx.close();
});

test("a patron signs in with card and PIN and every /my page passes axe, in three languages", async () => {
  const patron = server.demo.patrons[0];
  const item = server.demo.items.find((i) => i.status === "available");
  // Staff lends the patron an item (JSON API with the session's CSRF token).
  const staffCtx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const desk = await staffCtx.newPage();
  await desk.goto(server.url + "/login");
  await desk.fill("#f-username", server.demo.staff.username);
  await desk.fill("#f-password", server.demo.staff.password);
  await desk.press("#f-password", "Enter");
  await desk.waitForURL(server.url + "/staff");
  const status = await desk.evaluate(async ({ p, i }) => {
    const token = document.querySelector('meta[name="csrf-token"]').content;
    const r = await fetch("/api/v1/checkouts", {
      method: "POST",
      headers: { "content-type": "application/json", "x-csrf-token": token },
      body: JSON.stringify({ patron: p, item: i }),
    });
    return r.status;
  }, { p: patron.barcode, i: item.barcode });
  assert.equal(status, 201);
  await staffCtx.close();

  const ctx = await browser.newContext({ locale: "en-US", bypassCSP: true });
  const page = await ctx.newPage();
  await page.goto(server.url + "/my");
  await page.waitForURL(/\/my\/login/);
  await checkA11y(page, "my-login-en");
  // A wrong PIN: the error is announced.
  await page.focus("#f-card");
  await page.keyboard.type(patron.barcode);
  await page.keyboard.press("Tab");
  await page.keyboard.type("0000");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".error-summary");
  await checkA11y(page, "my-login-error-en");
  // Keyboard only: card number, Tab, PIN, Enter.
  await page.fill("#f-card", "");
  await page.focus("#f-card");
  await page.keyboard.type(patron.barcode);
  await page.keyboard.press("Tab");
  await page.keyboard.type(patron.pin);
  await page.keyboard.press("Enter");
  await page.waitForURL(server.url + "/my");
  assert.ok((await page.textContent("main")).includes(item.barcode), "the loan is listed");
  // A record page with the hold form, and placing a hold from it.
  await page.goto(server.url + "/search?q=vietnam");
  await page.click(".result-list h3 a >> nth=0");
  await page.waitForURL(/\/record\/\d+/);
  await page.waitForSelector("form[action='/my/holds']");
  await checkA11y(page, "record-patron-en");
  await page.click("form[action='/my/holds'] button");
  await page.waitForURL(/\/my\/holds/);
  await checkA11y(page, "my-holds-placed-en");
  const pages = ["/my", "/my/holds", "/my/fines", "/my/account"];
  for (const lang of ["en", "vi", "fil"]) {
    await page.selectOption("#lang-select", lang);
    await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    for (const p of pages) {
      await page.goto(server.url + p);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      await checkA11y(page, "my" + p.replaceAll("/", "-") + "-" + lang);
    }
  }
  // Renew with the keyboard: the demo rules renew from the due date, so the
  // first renewal works and is announced ...
  await page.goto(server.url + "/my");
  await page.focus("form[action='/my/renew'] button");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/my\?done=renewed/);
  await page.waitForSelector(".notice[role=status]");
  await checkA11y(page, "my-renewed-fil");
  // ... and once the renewals allowed are used up, the page says why not.
  for (let i = 0; i < 5; i++) {
    await page.goto(server.url + "/my");
    await page.focus("form[action='/my/renew'] button");
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    if (await page.$(".error-summary")) break;
  }
  assert.match(page.url(), /\/my\/renew/);
  await page.waitForSelector(".error-summary");
  assert.ok((await page.textContent(".error-summary")).length > 0);
  await checkA11y(page, "my-renew-refused-fil");
  // A PIN form with errors.
  await page.goto(server.url + "/my/account");
  await page.click("form[action='/my/pin'] button");
  await page.waitForSelector(".error-summary");
  await checkA11y(page, "my-pin-errors-fil");
  await ctx.close();
});

test("unknown pages get a translated 404 page", async () => {
  const ctx = await browser.newContext({ locale: "vi-VN", bypassCSP: true });
  const page = await ctx.newPage();
  const resp = await page.goto(server.url + "/khong-co");
  assert.equal(resp.status(), 404);
  assert.equal(await page.getAttribute("html", "lang"), "vi");
  await checkA11y(page, "404-vi");
  await ctx.close();
});
