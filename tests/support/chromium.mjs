// Real headless Chromium (Debian's /usr/bin/chromium) through playwright-core. Playwright gives
// every launch a fresh temporary user-data-dir; `headless: false` + our own `--headless=new` keeps
// the flag set exactly as listed here. Requests to anything but the app's own origin are aborted:
// the tests run offline and Clerk's browser script (clerk.example.com) must not be fetched.
import { chromium } from "playwright-core";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
export const CHROMIUM_FLAGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export async function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: false, args: CHROMIUM_FLAGS, timeout: 60_000 });
}

/** A fresh context (own cookie jar) that only talks to `origin`. */
export async function offlineContext(browser, origin) {
  const context = await browser.newContext();
  const { host } = new URL(origin);
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    return url.host === host ? route.continue() : route.abort("internetdisconnected");
  });
  return context;
}
