import { PingButton } from "./_components/ping-button";

export default function Home() {
  return (
    <>
      <h1>edgeguard + Clerk</h1>
      <p data-testid="public-home">
        A public page. Every request to this app passes through one edgeguard policy
        (<code>edgeguard.policy.json</code>) inside Clerk&apos;s middleware.
      </p>
      <PingButton />
    </>
  );
}
