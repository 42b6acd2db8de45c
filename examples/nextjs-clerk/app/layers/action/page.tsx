import { notFound } from "next/navigation";
import { DecideForm } from "./form";

// Test probe page (see actions.ts): a form whose server action reports requireAuth()'s decision
// for ?path=. 404 unless the e2e harness sets EDGEGUARD_EXAMPLE_LAYERS=1.
export const dynamic = "force-dynamic";

export default async function LayersActionPage({ searchParams }: { searchParams: Promise<{ path?: string }> }) {
  if (process.env.EDGEGUARD_EXAMPLE_LAYERS !== "1") notFound();
  const { path = "/" } = await searchParams;
  return (
    <>
      <h1>Server action probe</h1>
      <DecideForm path={path} />
    </>
  );
}
