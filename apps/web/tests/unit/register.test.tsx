/** Registration: with e-mail codes the code is asked for; a clinic that registers without codes goes straight to the form. */
import { describe, expect, it } from "@jest/globals";
import { fireEvent, render, screen } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { MockedProvider } from "@apollo/client/testing/react";
import { Register } from "../../src/pages/Register";
import { RequestRegistrationCodeDocument } from "../../src/generated/operations";

function renderWith(result: object) {
  render(
    <MockedProvider mocks={[{ request: { query: RequestRegistrationCodeDocument, variables: { email: "new@example.test" } }, result }]}>
      <MemoryRouter>
        <Register />
      </MemoryRouter>
    </MockedProvider>,
  );
  fireEvent.change(screen.getByLabelText("E-mail"), { target: { value: "new@example.test" } });
  fireEvent.click(screen.getByRole("button", { name: "Send me a code" }));
}

describe("registration", () => {
  it("asks for the code the e-mail brought", async () => {
    renderWith({ data: { requestRegistrationCode: true } });
    expect(await screen.findByLabelText("Code from the e-mail")).toBeTruthy();
  });

  it("goes on without a code when the API refuses the request on the code's field", async () => {
    renderWith({
      errors: [{ message: "Registration here needs no e-mail code: call registerPatient", extensions: { code: "BAD_USER_INPUT", field: "verificationCode" } }],
    });
    expect(await screen.findByLabelText("Full name")).toBeTruthy();
    expect(screen.queryByLabelText("Code from the e-mail")).toBeNull();
  });

  it("stays on the address and shows the API's message for a bad address", async () => {
    renderWith({ errors: [{ message: "Enter a valid e-mail address", extensions: { code: "BAD_USER_INPUT", field: "email" } }] });
    expect((await screen.findByRole("alert")).textContent).toMatch(/Enter a valid e-mail address/);
    expect(screen.queryByLabelText("Full name")).toBeNull();
  });
});
