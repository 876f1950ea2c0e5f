// Whether a script or stylesheet can be written inside its element in the webview's HTML.

/** Text that ends (or, for scripts, re-escapes) the element it sits in cannot be inlined. */
const UNSAFE_INLINE: Record<'script' | 'style', RegExp> = { script: /<\/?script/i, style: /<\/style/i };

/** The file's text if it can be written inside a <script>/<style> element, else undefined (link it instead). */
export function inlinableText(text: string | undefined, element: 'script' | 'style'): string | undefined {
  if (text === undefined || UNSAFE_INLINE[element].test(text)) return undefined;
  // A relative source map URL would resolve against the webview document; devtools finds maps by the link form.
  return text.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n');
}
