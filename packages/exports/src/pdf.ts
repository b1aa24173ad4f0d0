/**
 * HTML → PDF with the system's Chromium, driven by playwright-core.
 *
 * Why Chromium rather than a PDF library with an embedded font: Chromium uses the fonts the system has installed
 * (Debian's fonts-noto-cjk), so no multi-megabyte CJK font is shipped or subset by us; its text shaping and line
 * breaking of Chinese are right (punctuation, mixed Chinese and Latin runs), and the same print CSS could serve the
 * web page's "print" view. The text stays text in the PDF (searchable, copyable, read by pdftotext).
 *
 * One browser per process, launched on first use; each render gets a fresh page (its own context), closed after.
 * The browser is closed again once no render has run for `PDF_BROWSER_IDLE_SECONDS` (default 60): its nine
 * processes hold about 260 MiB of the machine's memory (proportional set size after one render, measured; they are
 * the server's children, so the server's own RSS and VmHWM never counted them), and an office exports now and then,
 * not all day; the next export pays the launch again (0.2–0.3 s in the benchmark: first render against warm ones).
 * playwright-core kills the browser when the process exits or is interrupted; `closePdfRenderer()` closes it
 * gracefully, and a short-lived process (the CLI, a test file) must call it or the open browser keeps it alive.
 */
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { chromiumLaunchOptions } from "./chromium.js";

let browserPromise: Promise<Browser> | null = null;
let launches = 0;

/** Milliseconds without a render after which the browser is closed. */
let idleMs = idleFromEnvironment(process.env["PDF_BROWSER_IDLE_SECONDS"]);
let idleTimer: ReturnType<typeof setTimeout> | null = null;

function idleFromEnvironment(value: string | undefined): number {
  const seconds = value === undefined || value.trim() === "" ? 60 : Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`PDF_BROWSER_IDLE_SECONDS must be a positive number of seconds, not ${value}`);
  return seconds * 1000;
}

/** Sets how long the browser stays open after the last render, in milliseconds (the environment's, otherwise). */
export function setPdfBrowserIdleMs(ms: number): void {
  if (!Number.isFinite(ms) || ms <= 0) throw new Error("the idle time must be a positive number of milliseconds");
  idleMs = ms;
}

/** Whether a browser is launched or launching now. */
export function pdfBrowserOpen(): boolean {
  return browserPromise !== null;
}

/** How many times this process has launched Chromium: renders in a row should share one launch. */
export function pdfBrowserLaunches(): number {
  return launches;
}

function browser(): Promise<Browser> {
  if (browserPromise !== null) return browserPromise;
  launches += 1;
  const launching = chromium.launch(chromiumLaunchOptions);
  browserPromise = launching;
  launching.then(
    (b) => {
      // A crashed browser is launched afresh by the next render rather than failing every render after it.
      b.on("disconnected", () => {
        if (browserPromise === launching) browserPromise = null;
      });
    },
    () => {
      if (browserPromise === launching) browserPromise = null;
    },
  );
  return launching;
}

export interface PdfOptions {
  /** Printed bottom centre of each page with the page number; plain text, escaped here. */
  footerText?: string;
  /**
   * The page's size, margins and footer come from its own @page rules (the print pages of html.ts) rather than from
   * here: no footer template, which Chromium lays out as a separate document for each page.
   */
  pageBoxFromCss?: boolean;
}

function escapeForTemplate(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.codePointAt(0) ?? 32};`);
}

/** At most this many pages print at once: each costs a renderer process, and the server has two cores. */
export const maxConcurrentRenders = 2;
let rendering = 0;
const waiting: Array<() => void> = [];

async function slot(): Promise<() => void> {
  if (idleTimer !== null) {
    clearTimeout(idleTimer);
    idleTimer = null;
  }
  if (rendering >= maxConcurrentRenders) await new Promise<void>((resolve) => waiting.push(resolve));
  rendering += 1;
  return () => {
    rendering -= 1;
    const next = waiting.shift();
    if (next !== undefined) next();
    else if (rendering === 0) closeWhenIdle();
  };
}

/** After the last render, the browser is closed unless another render starts within the idle time. */
function closeWhenIdle(): void {
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = setTimeout(() => {
    idleTimer = null;
    if (rendering === 0) void closePdfRenderer();
  }, idleMs);
  // The timer never keeps a process alive on its own.
  idleTimer.unref();
}

/** Prints a complete HTML document as landscape A4 with backgrounds (the status fills). */
export async function htmlToPdf(html: string, options: PdfOptions = {}): Promise<Buffer> {
  const release = await slot();
  try {
    return await print(html, options);
  } finally {
    release();
  }
}

async function print(html: string, options: PdfOptions): Promise<Buffer> {
  const b = await browser();
  const page = await b.newPage();
  try {
    await page.setContent(html, { waitUntil: "load" });
    if (options.pageBoxFromCss === true) return await page.pdf({ printBackground: true, preferCSSPageSize: true });
    const footer = options.footerText === undefined ? "" : `${escapeForTemplate(options.footerText)} · `;
    const pdf = await page.pdf({
      landscape: true,
      format: "A4",
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: "<span></span>",
      footerTemplate: `<div style="width:100%;text-align:center;font-size:7pt;font-family:'Noto Sans CJK SC',sans-serif;color:#555">${footer}<span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
      margin: { top: "10mm", bottom: "12mm", left: "8mm", right: "8mm" },
    });
    return pdf;
  } finally {
    await page.close();
  }
}

/**
 * An SVG drawing as PNG bytes, rasterised by the same Chromium at `scale` device pixels per CSS pixel: the fallback a
 * Word document needs beside an SVG image (Word before 2016 and other editors show the PNG). `width` × `height` are
 * the drawing's CSS pixels.
 */
export async function svgToPng(svg: string, width: number, height: number, scale = 2): Promise<Buffer> {
  const release = await slot();
  try {
    const b = await browser();
    const page = await b.newPage({ viewport: { width, height }, deviceScaleFactor: scale });
    try {
      await page.setContent(`<!doctype html><html><body style="margin:0;background:#fff">${svg}</body></html>`, { waitUntil: "load" });
      return await page.screenshot({ clip: { x: 0, y: 0, width, height }, type: "png" });
    } finally {
      await page.close();
    }
  } finally {
    release();
  }
}

/** Closes the shared browser, if one was launched. Safe to call more than once. */
export async function closePdfRenderer(): Promise<void> {
  if (idleTimer !== null) {
    clearTimeout(idleTimer);
    idleTimer = null;
  }
  const pending = browserPromise;
  browserPromise = null;
  if (pending === null) return;
  try {
    const b = await pending;
    await b.close();
  } catch {
    // The launch failed or the browser already died: nothing is left to close.
  }
}
