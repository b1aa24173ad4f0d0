/** What went wrong with the last submit, read out at once (role="alert"); nothing when there is no error. */
export function ErrorNotice({ error, id, testId }: { error: string | null; id?: string; testId?: string }) {
  if (!error) return null;
  return (
    <p id={id} className="notice notice-error" role="alert" data-testid={testId}>
      {error}
    </p>
  );
}
