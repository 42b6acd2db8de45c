"use client";
import { useActionState } from "react";
import { decideAsServerAction } from "./actions";

export function DecideForm({ path }: { path: string }) {
  const [decision, submit, pending] = useActionState(decideAsServerAction, null);
  return (
    <form action={submit}>
      <input type="hidden" name="path" value={path} />
      <button type="submit" data-testid="decide" disabled={pending}>Decide</button>
      {decision ? <pre data-testid="decision">{JSON.stringify(decision)}</pre> : null}
    </form>
  );
}
