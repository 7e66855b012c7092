/**
 * Course text compiled at build time from our own files in content/ (MDX
 * rendered with our components, or Markdown rendered by micromark with raw HTML
 * escaped). The only place Attune inserts HTML: nothing a user typed ever goes
 * through here.
 */
export function TrustedHtml({ html, className, id, inline = false }: { html: string; className?: string; id?: string; inline?: boolean }) {
  const Tag = inline ? "span" : "div";
  // biome-ignore lint/security/noDangerouslySetInnerHtml: build-time HTML from content/ (see above)
  return <Tag className={className} id={id} dangerouslySetInnerHTML={{ __html: html }} />;
}
