export default function Unauthorized() {
  return (
    <>
      <h1>Not allowed</h1>
      <p data-testid="unauthorized">You are signed in, but this page needs more than your session has.</p>
    </>
  );
}
