"use client";
import { useState } from "react";

// Proof that the page hydrated under the CSP (tests/e2e/csp.e2e.test.mjs): the button only works
// once React's client bundle ran, and its fetch goes through `connect-src`.
export function PingButton() {
  const [answer, setAnswer] = useState<string | null>(null);
  return (
    <p>
      <button
        type="button"
        data-testid="ping"
        onClick={async () => {
          const response = await fetch("/api/public/ping");
          const body = (await response.json()) as { ok?: boolean };
          setAnswer(body.ok ? "pong" : `failed (${response.status})`);
        }}
      >
        Ping the API
      </button>{" "}
      {answer ? <output data-testid="ping-answer">{answer}</output> : null}
    </p>
  );
}
