// Which media types a browser only displays, and which it would run: an HTML, SVG or XML output
// opened from the API's origin could run its scripts there, where the console keeps the key.

/** Displayed, never run: raster images, audio, video, PDF, plain text, fonts and archives. */
const PASSIVE = [
  /^image\/(png|jpeg|gif|webp|avif|tiff|bmp|heif|heic|x-icon|vnd\.microsoft\.icon|x-portable-[a-z]+)$/,
  /^(audio|video|font)\//,
  /^text\/(plain|csv|tab-separated-values)$/,
  /^application\/(pdf|zip|gzip|x-gzip|x-tar|x-bzip2|x-xz|x-7z-compressed|vnd\.rar|x-rar-compressed|octet-stream|json|epub\+zip|x-mobipocket-ebook|vnd\.amazon\.ebook|rtf|msword|vnd\.ms-[a-z.-]+|vnd\.openxmlformats-officedocument\.[a-z.-]+|vnd\.oasis\.opendocument\.[a-z.-]+|postscript|x-ebook-[a-z0-9]+)$/,
];

/** Whether a browser might run content of this type (HTML, SVG, XML, and anything unknown). */
export function isActiveContentType(mime: string): boolean {
  const bare = mime.split(';')[0]?.trim().toLowerCase() ?? '';
  return !PASSIVE.some((pattern) => pattern.test(bare));
}
