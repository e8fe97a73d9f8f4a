/**
 * Staff users: the list filtered by role and paged by cursor; creating a staff user, and the API's refusal when the
 * admin's sign-in is not recent (the recent_login policy) shown with what to do about it.
 */
import { afterEach, describe, expect, it } from "@jest/globals";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/react";
import { ApolloClient, ApolloLink, InMemoryCache } from "@apollo/client";
import { ApolloProvider } from "@apollo/client/react";
import { Observable } from "rxjs";
import i18n from "../../src/i18n";
import { Users } from "../../src/pages/admin/Users";

// The area's texts load on demand in the app: here, before anything renders.
await i18n.loadNamespaces(["admin", "common"]);

afterEach(cleanup);

const user = (id: string, role: string) => ({
  __typename: "User",
  id,
  email: `${id}@example.test`,
  name: `User ${id}`,
  phone: null,
  role,
  createdAt: "2026-03-01T09:00:00.000Z",
});

describe("Users", () => {
  it("filters by role, pages by cursor and shows the recent sign-in refusal", async () => {
    const asked: Record<string, unknown>[] = [];
    let refuse = true;
    const link = new ApolloLink(
      (operation) =>
        new Observable<ApolloLink.Result>((observer) => {
          const v = operation.variables as { role?: string | null; after?: string | null; input?: { email: string; role: string } };
          if (operation.operationName === "AdminUsers") {
            asked.push(v);
            const page = v.after === "cursor-1" ? [user("u3", v.role ?? "BILLING")] : [user("u1", v.role ?? "ADMIN"), user("u2", v.role ?? "DOCTOR")];
            observer.next({
              data: {
                users: {
                  __typename: "UserConnection",
                  edges: page.map((node) => ({ __typename: "UserEdge", cursor: `c-${node.id}`, node })),
                  pageInfo: { __typename: "PageInfo", hasNextPage: v.after !== "cursor-1", endCursor: "cursor-1" },
                },
              },
            });
          } else if (operation.operationName === "AdminCreateStaffUser") {
            if (refuse) {
              refuse = false;
              observer.next({
                data: null,
                errors: [{ message: "You are not allowed to read Mutation.createStaffUser", path: ["createStaffUser"], extensions: { code: "FORBIDDEN" } }],
              } as unknown as ApolloLink.Result);
            } else observer.next({ data: { createStaffUser: { ...user("u9", v.input!.role), email: v.input!.email, name: "Rita Reception" } } });
          } else observer.error(new Error(`unexpected ${operation.operationName}`));
          observer.complete();
        }),
    );
    render(
      <ApolloProvider client={new ApolloClient({ link, cache: new InMemoryCache() })}>
        <Users />
      </ApolloProvider>,
    );
    await screen.findByText("User u1");
    fireEvent.change(screen.getByLabelText("Role"), { target: { value: "RECEPTIONIST" } });
    await waitFor(() => expect(asked.at(-1)).toMatchObject({ role: "RECEPTIONIST", after: null, first: 25 }));
    fireEvent.click(screen.getByRole("button", { name: "Next page" }));
    await screen.findByText("User u3");
    expect(asked.at(-1)).toMatchObject({ role: "RECEPTIONIST", after: "cursor-1" });
    expect((screen.getByRole("button", { name: "Next page" }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole("button", { name: "Previous page" }));
    await screen.findByText("User u1");

    fireEvent.click(screen.getByRole("button", { name: "New staff user" }));
    const form = screen.getByRole("form", { name: "Create a staff user" });
    fireEvent.change(within(form).getByLabelText("Name"), { target: { value: "Rita Reception" } });
    fireEvent.change(within(form).getByLabelText("E-mail"), { target: { value: "rita@example.test" } });
    fireEvent.change(within(form).getByLabelText("Initial password"), { target: { value: "Desk-password-1" } });
    fireEvent.click(within(form).getByRole("button", { name: "Create user" }));
    await within(form).findByText(/not allowed to read Mutation.createStaffUser/);
    expect(within(form).getByText(/Sign out, sign in again, then retry/)).toBeTruthy();

    fireEvent.click(within(form).getByRole("button", { name: "Create user" }));
    await screen.findByText("Rita Reception can now sign in.");
    expect(screen.queryByRole("form", { name: "Create a staff user" })).toBeNull();
  });
});
