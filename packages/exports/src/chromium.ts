/**
 * How the system's Chromium (Debian's package, fonts-noto-cjk for Chinese) is launched headless: one definition for
 * the PDF renderer and the browser tests. CHROMIUM_PATH points elsewhere where the browser lives elsewhere.
 * The sandbox is off: Chromium does not start its sandbox as root, and the machines here run everything as root.
 */
export const chromiumLaunchOptions: { executablePath: string; args: string[] } = {
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    // No calls home: the machines reach no network but the package registries.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
};
