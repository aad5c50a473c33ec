// Drives a browser phone (SIP.js or JsSIP, page.html + phone.js) in
// Debian's chromium, headless, through puppeteer-core, against the proxy:
//
//   node browser.mjs --lib sipjs|jssip --url wss://127.0.0.1:25089 \
//       --user EXT --password PW --call 8600051 --shot build/x.png
//
// Prints one line per step for tests/integration/test-clients.sh:
// "registered", "out accepted 200", "out established", "out terminated",
// "incoming-ready" (then waits for a call, which it answers), "in
// established", "in terminated", "screenshot FILE", "tab closed"; a step
// that does not come within its time prints "timeout: STEP" and exits 1.
import { createServer } from "node:http";
import { readFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import * as esbuild from "esbuild";
import puppeteer from "puppeteer-core";

const here = dirname(fileURLToPath(import.meta.url));
const { values: a } = parseArgs({
	options: {
		lib: { type: "string" }, url: { type: "string" }, user: { type: "string" },
		password: { type: "string" }, domain: { type: "string", default: "127.0.0.1" },
		call: { type: "string" }, shot: { type: "string" },
		"in-timeout": { type: "string", default: "30" },
	},
});
const transport = a.url.startsWith("wss:") ? "wss" : "ws";
const say = (s) => console.log(s);

// the libraries, bundled for the page (JsSIP is CommonJS)
const bundle = await esbuild.build({
	entryPoints: [join(here, "phones-entry.js")], bundle: true, format: "iife",
	platform: "browser", write: false, logLevel: "error",
});
const files = {
	"/page.html": ["text/html", readFileSync(join(here, "page.html"))],
	"/phone.js": ["text/javascript", readFileSync(join(here, "phone.js"))],
	"/phones.js": ["text/javascript", Buffer.from(bundle.outputFiles[0].contents)],
};
// served from http://127.0.0.1 (a secure context: getUserMedia works)
const server = createServer((req, res) => {
	const f = files[req.url];
	if (!f) { res.writeHead(404); res.end(); return; }
	res.writeHead(200, { "Content-Type": f[0] });
	res.end(f[1]);
});
await new Promise((r) => server.listen(0, "127.0.0.1", r));
const port = server.address().port;

const profile = mkdtempSync(join(tmpdir(), "phones-chromium-"));
const exe = ["/usr/lib/chromium/chromium", "/usr/bin/chromium"].find(existsSync);
const browser = await puppeteer.launch({
	executablePath: exe, headless: true, userDataDir: profile,
	args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
		"--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync",
		"--allow-loopback-in-peer-connection",
		"--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
		// the proxy's self-signed certificate, in this test only
		"--ignore-certificate-errors"],
});
let status = 0;
const page = await browser.newPage();
page.on("pageerror", (e) => say("page error: " + e.message));
try {
	await page.goto(`http://127.0.0.1:${port}/page.html`);
	await page.evaluate((cfg) => window.startPhone(cfg), {
		lib: a.lib, url: a.url, user: a.user, password: a.password,
		domain: a.domain, transport,
	});
	// waits for an event matching re, prints it
	let seen = 0;
	const until = async (re, secs) => {
		const end = Date.now() + secs * 1000;
		for (;;) {
			const ev = await page.evaluate(() => window.events.slice());
			while (seen < ev.length) {
				const e = ev[seen++];
				say(e);
				if (re.test(e)) return e;
				if (/rejected|error/.test(e)) throw new Error("failed: " + e);
			}
			if (Date.now() > end) throw new Error("timeout: " + re.source);
			await new Promise((r) => setTimeout(r, 100));
		}
	};
	await until(/^registered$/, 15);
	if (a.call) {
		await page.evaluate((n) => window.phone.call(n), a.call);
		await until(/^out established/, 20);
		await new Promise((r) => setTimeout(r, 500));
		await page.evaluate(() => window.phone.hangup());
		await until(/^out terminated/, 10);
	}
	say("incoming-ready");
	await until(/^in established/, Number(a["in-timeout"]));
	await until(/^in terminated/, 20);
	if (a.shot) {
		mkdirSync(dirname(a.shot), { recursive: true });
		await page.screenshot({ path: a.shot });
		say("screenshot " + a.shot);
	}
} catch (e) {
	say(String(e.message || e));
	status = 1;
}
await page.close();
say("tab closed");
await browser.close();
server.close();
rmSync(profile, { recursive: true, force: true });
process.exit(status);
