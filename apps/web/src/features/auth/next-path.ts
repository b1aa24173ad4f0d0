/** Where to go after signing in: only a path of this site, never another origin (`//evil.example`) or sign-in itself. */
export function safeNext(next: string | null): string | null {
  if (!next?.startsWith("/") || next.startsWith("//") || next.startsWith("/\\") || next.startsWith("/sign-in")) return null;
  return next;
}
