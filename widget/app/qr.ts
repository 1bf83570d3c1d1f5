/**
 * The QR-code chunk (chunks/qr.js), loaded only when the QR section is opened. It returns
 * an SVG path built from the module matrix: numbers only, never markup from a string.
 */
import qrcode from 'qrcode-generator';

// The library's default byte conversion truncates non-Latin-1 characters; links are
// usually ASCII (URL.href), but encode as UTF-8 to be safe.
qrcode.stringToBytes = (s: string) => Array.from(new TextEncoder().encode(s));

export interface QrShape {
  /** Modules per side. */
  size: number;
  /** Path data: one 1x1 square per dark module. */
  d: string;
}

/** The QR code of `text` (error correction M) as a path on a size x size grid. */
export function qrShape(text: string): QrShape {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const size = qr.getModuleCount();
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) if (qr.isDark(y, x)) d += `M${x} ${y}h1v1h-1z`;
  }
  return { size, d };
}
