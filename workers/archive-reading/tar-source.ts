// Where the plain tar stream of an archive comes from, and the environment of the tools that
// read or write archives (shared by the archive engine and the ebook engine's comic archives).

/**
 * The environment the archive tools run with, on top of the worker's: a UTF-8 locale. In the C
 * locale (a container without LANG) bsdtar cannot convert names: 7z archives with non-ASCII
 * names fail to read or write, and zip names lose their UTF-8 flag.
 */
export const TOOL_ENV: Readonly<Record<string, string>> = { LC_ALL: 'C.UTF-8' };

/** Where the plain tar stream of an archive comes from: the file itself, or a tool's stdout. */
export type TarSource =
  | { readonly kind: 'file' }
  | { readonly kind: 'tool'; readonly binary: string; readonly args: readonly string[]; /** The tool named in errors. */ readonly label: string };
