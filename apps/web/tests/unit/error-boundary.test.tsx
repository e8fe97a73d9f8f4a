/** A page that throws while rendering shows the error and "Try again" instead of a blank screen. */
import { describe, expect, it, jest } from "@jest/globals";
import { fireEvent, render, screen } from "@testing-library/react";
import { ErrorBoundary } from "../../src/components/ErrorBoundary";

describe("error boundary", () => {
  it("shows the error with a retry that renders the page again", () => {
    jest.spyOn(console, "error").mockImplementation(() => undefined);
    let fail = true;
    function Page() {
      if (fail) throw new Error("The page broke");
      return <p>Page content</p>;
    }
    render(
      <ErrorBoundary>
        <Page />
      </ErrorBoundary>,
    );
    expect(screen.getByRole("alert").textContent).toContain("The page broke");
    fail = false;
    fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(screen.getByText("Page content")).toBeTruthy();
  });
});
