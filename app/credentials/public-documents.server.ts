/**
 * Headers of the public documents verifiers read (JWKS, controller document, status lists): anyone may fetch
 * them, from any origin, and keep them a short while (a key rotation or a status change is seen within maxAge).
 */
export function publicDocumentHeaders(contentType: string, { maxAge = 300 }: { maxAge?: number } = {}): Headers {
  return new Headers({
    "Content-Type": contentType,
    "Cache-Control": `public, max-age=${maxAge}`,
    "Access-Control-Allow-Origin": "*",
  });
}
