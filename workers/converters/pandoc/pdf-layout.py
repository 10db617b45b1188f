"""Lays out one HTML page (written by pandoc) as a PDF with WeasyPrint, for the markup engine. (Not
named weasyprint.py: the script's folder comes first on sys.path and would shadow the module.)

Arguments: source.html target.pdf page-size max-pages. Nothing is loaded but the page itself and
data: URLs: every other URL (http, file, relative paths) is refused, so neither the network nor a
local file (an <img>, a stylesheet or an <a rel="attachment"> naming /etc/passwd) reaches the PDF.
Exit code 3: the document has more pages than max-pages.
"""
import sys

from weasyprint import CSS, HTML, default_url_fetcher

TOO_MANY_PAGES = 3
PAGE_SIZES = {"A4", "A5", "A3", "Letter", "Legal"}


def data_urls_only(url, timeout=10, ssl_context=None):
    if url.startswith("data:"):
        return default_url_fetcher(url, timeout=timeout, ssl_context=ssl_context)
    raise ValueError("not loaded: only data: URLs are")


def main():
    source, target, page_size, max_pages = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    if page_size not in PAGE_SIZES:
        sys.exit("unknown page size %r" % page_size)
    page = CSS(string="@page { size: %s; margin: 20mm }" % page_size)
    document = HTML(filename=source, url_fetcher=data_urls_only).render(stylesheets=[page])
    if len(document.pages) > max_pages:
        sys.stderr.write("the document has %d pages; this server converts at most %d (PDF_MAX_PAGES)\n" % (len(document.pages), max_pages))
        sys.exit(TOO_MANY_PAGES)
    document.write_pdf(target)


if __name__ == "__main__":
    main()
