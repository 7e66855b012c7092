/** What the server (server/app.ts) hands every loader and action. */
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request nonce, allowed by the Content-Security-Policy for our scripts. */
    cspNonce: string;
    /** The client's address (X-Forwarded-For only with TRUST_PROXY=true). */
    clientIp: string;
  }
}

export {};
