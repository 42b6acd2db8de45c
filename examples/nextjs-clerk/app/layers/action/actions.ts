"use server";
import { EdgeguardDenied, requireAuth } from "edgeguard/next";
import { policy } from "@/lib/policy";

export type ActionDecision = { action: string; status: number; reason: string; rule: string | null; location: string | null } | { error: string };

// Test probe (tests/e2e/layers.e2e.test.mjs): the server-action layer's decision for the form's
// target path, as requireAuth() takes it inside a real server action. Off unless
// EDGEGUARD_EXAMPLE_LAYERS=1, like the page that renders the form.
export async function decideAsServerAction(_previous: ActionDecision | null, form: FormData): Promise<ActionDecision> {
  if (process.env.EDGEGUARD_EXAMPLE_LAYERS !== "1") return { error: "disabled" };
  const path = String(form.get("path") ?? "");
  try {
    const { decision } = await requireAuth({ policy }, { path });
    return summary(decision);
  } catch (error) {
    if (error instanceof EdgeguardDenied) return summary(error.decision);
    return { error: String((error as Error)?.message ?? error) };
  }
}

function summary(decision: { action: string; status: number; reason: string; rule?: string | null; location?: string | null }) {
  return { action: decision.action, status: decision.status, reason: decision.reason, rule: decision.rule ?? null, location: decision.location ?? null };
}
