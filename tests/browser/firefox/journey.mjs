// The main screens in Firefox (Debian's firefox-esr, over WebDriver BiDi): the admin logs in,
// creates an app through the wizard and sees the OTP, opens Revoke and says No, opens the
// New User dialog; the developer logs in to the portal, verifies an app and sees the secret.
// Run by tests/browser/test_firefox.py, which checks the outcome through the API.
import assert from "node:assert/strict";
import puppeteer from "puppeteer-core";

const env = process.env;
const base = env.BASE_URL;
const shots = env.SCREENSHOTS;

async function textOf(page, selector) {
  const element = await page.waitForSelector(selector, { visible: true });
  return (await element.evaluate((e) => e.textContent)).trim();
}

async function waitForText(page, selector, expected) {
  await page.waitForFunction(
    (s, t) => [...document.querySelectorAll(s)].some((e) => e.textContent.includes(t)),
    {}, selector, expected);
}

async function clickText(page, text, scope = "") {
  const element = await page.waitForSelector(`${scope} ::-p-text(${text})`, { visible: true });
  await element.click();
}

// A screen draws after its data arrives: wait for what is clicked, as a person would.
async function clickWhenVisible(page, selector) {
  await page.waitForSelector(selector, { visible: true });
  await page.click(selector);
}

async function fill(page, selector, value) {
  await page.waitForSelector(selector, { visible: true });
  await page.type(selector, value);
}

async function admin(browser) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.setViewport({ width: 1280, height: 900 });
  await page.goto(`${base}/`);
  await fill(page, "input[name=email]", env.ADMIN_EMAIL);
  await fill(page, "input[name=password]", env.ADMIN_PASSWORD);
  await page.click("button[type=submit]");
  await waitForText(page, "#apps-summary", "Showing");

  await clickText(page, "New Integration Application");
  await clickWhenVisible(page, "input[name=type][value=new_integration]");
  await page.click("button[type=submit]");
  await fill(page, "input[name=name]", env.APP_NAME);
  await fill(page, "textarea[name=description]", "Made in Firefox");
  await page.select("select[name=category]", "accounting");
  await fill(page, "input[name=developer_email]", "firefox-dev@example.com");
  await clickWhenVisible(page, "input[name=entity_ids]");
  await page.click("button[type=submit]");
  const otp = await textOf(page, "[data-testid=otp]");
  assert.match(otp, /^\d{8}$/);
  await page.screenshot({ path: `${shots}/firefox-admin-otp.png`, fullPage: true });

  await clickText(page, "Done");
  await waitForText(page, "tbody", env.APP_NAME);
  await clickWhenVisible(page, `summary[aria-label="Actions for ${env.APP_NAME}"]`);
  const uncovered = await page.evaluate(() => [...document.querySelectorAll("details.menu[open] li > *")]
    .every((item) => {
      // Only the window scrolls: scrolling the item's container would hide any clipping.
      window.scrollBy(0, item.getBoundingClientRect().top - window.innerHeight / 2);
      const box = item.getBoundingClientRect();
      return item.contains(document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2));
    }));
  assert.ok(uncovered, "an item of the Actions menu is clipped or covered");
  await clickText(page, "Revoke", "details[open]");
  await waitForText(page, "dialog[open] h2", `Revoke ${env.APP_NAME}?`);
  await page.screenshot({ path: `${shots}/firefox-admin-revoke-dialog.png`, fullPage: true });
  await page.click("dialog[open] button[value=no]");
  await page.waitForFunction(() => !document.querySelector("dialog[open]"));

  await clickText(page, "Users", "nav");
  await clickText(page, "New User");
  await page.waitForSelector("dialog[open] input[name=email]", { visible: true });
  await page.keyboard.press("Escape");
  await page.waitForFunction(() => !document.querySelector("dialog[open]"));
  assert.deepEqual(errors, []);
  return otp;
}

async function developer(browser) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.setViewport({ width: 390, height: 844 }); // a phone
  await page.goto(`${base}/portal/`);
  await fill(page, "input[name=email]", env.DEV_EMAIL);
  await fill(page, "input[name=password]", env.DEV_PASSWORD);
  await page.click("button[type=submit]");
  await waitForText(page, ".app-tiles", "OTP verification needed");
  await page.click(`button[aria-label="Verify ${env.DEV_APP_NAME}"]`);
  await fill(page, "dialog[open] input[name=otp]", env.DEV_OTP);
  await page.click("dialog[open] button[type=submit]");
  const secret = await textOf(page, "[data-testid=client-secret]");
  assert.ok(secret.length >= 40, secret);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `the page is ${width}px wide on a 390px screen`);
  await page.screenshot({ path: `${shots}/firefox-portal-credentials.png`, fullPage: true });
  await clickText(page, "Entities Assigned", "[role=tablist]");
  await waitForText(page, "#entities-summary", "Showing 1 to");
  assert.deepEqual(errors, []);
  return secret;
}

const browser = await puppeteer.launch({
  browser: "firefox",
  executablePath: env.FIREFOX,
  headless: true,
  protocolTimeout: 60_000,
});
try {
  const otp = await admin(browser);
  const secret = await developer(browser);
  console.log(JSON.stringify({ version: await browser.version(), otp, secret }));
} finally {
  await browser.close();
}
