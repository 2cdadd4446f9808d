// Shared helpers: start the real `quire demo` on port 0 with its own data
// dir, launch Debian's Chromium through playwright-core, run axe-core.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const artifacts = join(here, "artifacts");
mkdirSync(artifacts, { recursive: true });

/** Path of the quire binary built by `cargo test` / `cargo build`. */
function quireBinary() {
  const candidates = [process.env.QUIRE_BIN, join(root, "target", "debug", "quire"), join(root, "target", "release", "quire")];
  const found = candidates.find((p) => p && existsSync(p));
  if (!found) throw new Error("quire binary not found: run `cargo build -p quire` first or set QUIRE_BIN");
  return found;
}

/** Starts `quire demo` (with `extraArgs`, e.g. ["--z3950", "127.0.0.1:0"]);
 *  resolves to { url, demo, stop }. */
export async function startDemo(extraArgs = []) {
  const data = mkdtempSync(join(tmpdir(), "quire-browser-"));
  const child = spawn(quireBinary(), ["demo", "--data", data, "--http", "127.0.0.1:0", ...extraArgs], {
    env: { ...process.env, RUST_LOG: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("quire demo did not start within 60 s")), 60000);
    let buf = "";
    child.stdout.on("data", (chunk) => {
      buf += chunk.toString();
      const m = buf.match(/Quire is listening on (http:\/\/\S+?)\/?\s/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ""));
      }
    });
    child.on("exit", (code) => reject(new Error(`quire demo exited early with ${code}`)));
  });
  const demo = JSON.parse(readFileSync(join(data, "demo.json"), "utf8"));
  const stop = () =>
    new Promise((resolve) => {
      child.once("exit", resolve);
      child.kill("SIGTERM");
    });
  return { url, demo, stop };
}

/** Debian's Chromium, headless, with the flags this sandbox needs. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Runs axe-core (WCAG 2.1 A/AA rules) on the page; returns the violations. */
export async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" ")).slice(0, 5) }));
  });
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}
