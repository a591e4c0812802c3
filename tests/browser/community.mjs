// The community pages in a real browser: Debian's chromium, headless,
// driven through puppeteer-core, each page checked with axe-core.
//
//   node community.mjs PHASE SITE OUTPUT_DIR
//
// PHASE "before" (the feeds list shop.example): a voter signs in, votes
// and sees the count change, signs out; a visitor files a dispute with a
// hostile reason without signing in; hostile values are shown as text; a
// moderator accepts the dispute from the queue. PHASE "after" (a publish
// later): the dispute's page says in which version it was corrected.
// Tokens come from VOTER_TOKEN and MODERATOR_TOKEN. Screenshots of every
// page at desktop and phone widths go to OUTPUT_DIR. Any dialog (an
// alert), script error or Content-Security-Policy report fails the run;
// so does an axe-core violation of serious or critical impact.
import { readFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const [phase, site, output] = process.argv.slice(2);
mkdirSync(output, { recursive: true });
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const problems = [];
const fail = (message) => problems.push(message);

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"],
});

// A tab that fails the run on any dialog, page error or console error
// (a CSP refusal is one), in a browser context of its own (its own
// cookies: one person each) unless `context` is given.
async function tab(width = 1280, height = 900, context = undefined) {
  const page = await (context || (await browser.createBrowserContext())).newPage();
  await page.setViewport({ width, height });
  page.on("dialog", async (dialog) => { fail(`a dialog opened: ${dialog.message()}`); await dialog.dismiss(); });
  page.on("pageerror", (error) => fail(`a script ran and failed: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !/status of 4\d\d/.test(message.text())) fail(`console: ${message.text()}`);
  });
  return page;
}

// The page at `path`, in a tab of its own that bypasses the policy so that
// axe-core can be injected; its serious and critical violations fail.
async function accessible(path, context = undefined) {
  const page = await tab(1280, 900, context);
  await page.setBypassCSP(true);
  await page.goto(site + path, { waitUntil: "load" });
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => await window.axe.run(document));
  for (const violation of result.violations) {
    if (violation.impact === "serious" || violation.impact === "critical") {
      fail(`axe: ${path}: ${violation.id} (${violation.impact}): ${violation.help}: ` +
           violation.nodes.map((node) => node.target.join(" ")).join(", "));
    }
  }
  await page.close();
}

async function screenshots(path, name, context = undefined) {
  for (const [width, height, suffix] of [[1280, 900, "desktop"], [390, 844, "phone"]]) {
    const page = await tab(width, height, context);
    await page.goto(site + path, { waitUntil: "load" });
    await page.screenshot({ path: `${output}/${name}-${suffix}.png`, fullPage: true });
    await page.close();
  }
}

async function signIn(page, token) {
  await page.goto(site + "/signin", { waitUntil: "load" });
  await page.type("#token", token);
  await Promise.all([page.waitForNavigation(), page.click("form[action='/signin'] button[type=submit]")]);
  const text = await page.$eval("header", (header) => header.textContent);
  if (!text.includes("Signed in as")) fail(`signing in failed: ${text}`);
}

const text = async (page, selector) => page.$eval(selector, (element) => element.textContent);

if (phase === "before") {
  // A voter signs in, votes from the indicator's page, sees the count change.
  const voter = await tab();
  await signIn(voter, process.env.VOTER_TOKEN);
  await voter.goto(site + "/indicator/browser-vote.example", { waitUntil: "load" });
  const before = await text(voter, "main");
  if (!before.includes("No votes")) fail(`a new indicator has votes: ${before.slice(0, 200)}`);
  await Promise.all([voter.waitForNavigation(), voter.click("form.vote button[value='0']")]);
  const after = await text(voter, "main");
  if (!after.includes("1 malicious and 0 non-malicious votes counted")) fail(`the vote is not counted: ${after.slice(0, 300)}`);
  await Promise.all([voter.waitForNavigation(), voter.click("form.account button[type=submit]")]);
  if ((await text(voter, "header")).includes("Signed in as")) fail("still signed in after signing out");
  await voter.goto(site + "/indicator/browser-vote.example", { waitUntil: "load" });
  if (await voter.$("form.vote")) fail("a signed-out visitor sees the vote form (anonymous voting is off)");
  const cookies = await voter.cookies();
  const session = cookies.find((cookie) => cookie.name === "crowdfeed_session");
  if (!session || !session.httpOnly || session.sameSite !== "Strict") fail(`the session cookie: ${JSON.stringify(session)}`);
  await voter.close();

  // A visitor disputes shop.example without signing in, with a hostile reason.
  const visitor = await tab();
  await visitor.goto(site + "/disputes/new?indicator=shop.example", { waitUntil: "load" });
  const hostile = `Our shop. <script>alert("x")</script> "quotes' <img src=x onerror=alert(1)> \u202Eesrever`;
  await visitor.click("input[value=false_positive]");
  await visitor.type("#reason", hostile);
  await visitor.type("#contact", "owner@shop.example");
  await Promise.all([visitor.waitForNavigation(), visitor.click("form[action='/disputes'] button[type=submit]")]);
  if (!/\/disputes\/\d+$/.test(visitor.url())) fail(`filing did not lead to the dispute's page: ${visitor.url()}`);
  const reason = await text(visitor, "p.reason");
  if (reason !== hostile) fail(`the reason is not shown as typed: ${JSON.stringify(reason)}`);
  if (await visitor.$("main img, main script")) fail("the reason became markup");
  if ((await text(visitor, "main")).includes("owner@shop.example")) fail("the contact address is shown");
  // Hostile values elsewhere: an indicator page and the search box.
  for (const path of ["/indicator/%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/search?q=%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert(2)%3E",
                      "/disputes/new?indicator=%3C%2Ftextarea%3E%3Cscript%3Ealert(3)%3C%2Fscript%3E&kind=%22%3E%3Cb%3E"]) {
    await visitor.goto(site + path, { waitUntil: "load" });
    if (await visitor.$("main script, main img, main b")) fail(`${path}: a value became markup`);
  }
  await visitor.close();

  // The moderator accepts it from the queue.
  const moderator = await tab();
  await signIn(moderator, process.env.MODERATOR_TOKEN);
  const moderatorContext = moderator.browserContext();
  await moderator.goto(site + "/moderation", { waitUntil: "load" });
  const queue = await text(moderator, "main");
  if (!queue.includes("owner@shop.example")) fail("the queue does not show the contact address to the moderator");
  await screenshots("/moderation", "moderation", moderatorContext);
  await accessible("/moderation", moderatorContext);
  await moderator.type("article textarea[name=note]", "Verified with the shop's owner.");
  await Promise.all([moderator.waitForNavigation(), moderator.click("article button[value=accept]")]);
  const decided = await text(moderator, "main");
  if (!decided.includes("accepted")) fail(`the dispute is not accepted: ${decided.slice(0, 300)}`);
  await moderator.close();

  await screenshots("/", "home");
  await screenshots("/indicator/shop.example", "indicator");
  for (const path of ["/", "/indicator/shop.example", "/indicator/browser-vote.example", "/disputes/new", "/signin",
                      "/disputes/1"]) {
    await accessible(path);
  }
} else {
  const visitor = await tab();
  await visitor.goto(site + "/disputes/1", { waitUntil: "load" });
  const page = await text(visitor, "main");
  const match = page.match(/Corrected in version (\d+)/);
  if (!match) fail(`the dispute's page names no correction: ${page.slice(0, 400)}`);
  else console.log(`corrected in version ${match[1]}`);
  await visitor.close();
  await screenshots("/disputes/1", "dispute");
  await screenshots("/indicator/shop.example", "indicator-corrected");
  await accessible("/disputes/1");
}

await browser.close();
if (problems.length) {
  for (const problem of problems) console.error(`FAIL: ${problem}`);
  process.exit(1);
}
console.log(`${phase}: ok`);
