// Two people act on the same assignment from two browsers: the second is told, and sees the current state.
import { expect, test } from "@playwright/test";
import { Api, liaisonOf, overview, signIn } from "./support.js";

test("a conflict between two browser sessions is explained and the page refreshed", async ({ browser }) => {
  const coordinator = await Api.signIn("miit");
  const data = await overview(coordinator);
  // An assignment still to acknowledge, on a measure no other test closes (the last one in the list).
  const target = data.measures
    .flatMap((m) => m.assignments)
    .filter((a) => a.status === "assigned")
    .at(-1);
  expect(target).toBeDefined();
  if (!target) return;
  await coordinator.dispose();

  const first = await browser.newContext();
  const second = await browser.newContext();
  const alice = await first.newPage();
  const bob = await second.newPage();
  await signIn(alice, liaisonOf(target.department));
  await signIn(bob, liaisonOf(target.department));
  await alice.goto(`/assignments/${target.id}`);
  await bob.goto(`/assignments/${target.id}`);
  await expect(bob.locator("article.assignment-page")).toHaveAttribute("data-status", "assigned");

  // Bob starts declining, with a reason...
  await bob.getByRole("button", { name: "Decline", exact: true }).click();
  const dialog = bob.getByRole("dialog", { name: "Decline" });
  await dialog.getByLabel(/Reason/).fill("Outside our remit: this is a matter for another ministry.");

  // ...while Alice accepts it first.
  await alice.getByRole("button", { name: "Accept", exact: true }).click();
  await expect(alice.locator("article.assignment-page")).toHaveAttribute("data-status", "accepted");

  // Bob's decline was decided on a state that no longer holds: refused, explained, page refreshed.
  await dialog.getByRole("button", { name: "Decline", exact: true }).click();
  await expect(bob.getByTestId("page-error")).toContainText("Someone else acted on this assignment first");
  await expect(bob.getByTestId("page-error")).toContainText("Accepted");
  // Said once: a screen reader read two alerts of the same text (the page's notice and a toast), and it was shown twice.
  await expect(bob.getByRole("alert").filter({ hasText: "Someone else acted on this assignment first" })).toHaveCount(1);
  await expect(bob.locator("article.assignment-page")).toHaveAttribute("data-status", "accepted");
  await expect(bob.getByRole("button", { name: "Decline", exact: true })).toHaveCount(0);
  await expect(bob.locator(".timeline")).toContainText("Accepted");

  await first.close();
  await second.close();
});
