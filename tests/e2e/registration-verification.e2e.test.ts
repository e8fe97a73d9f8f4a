/**
 * Self-registration with e-mail verification (REGISTRATION_VERIFICATION=email), through the router, with a real
 * SMTP server catching what accounts sends: nobody learns from the answers whether an address has an account.
 * A free address gets a code and registers with it; a taken address gets a notice by mail, and every answer to
 * the caller — the code request, a registration with any code — is the same as for a free address with a wrong code.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { simpleParser } from "mailparser";
import { uniqueEmail } from "@clinigraph/testing";
import { expectData, graphql, startStack, type Response, type Stack } from "../support/stack.js";

interface Mail {
  to: string;
  subject: string;
  text: string;
}
const mails: Mail[] = [];
let waiting: (() => void)[] = [];
let smtp: SMTPServer;
let stack: Stack;
let url: string;

beforeAll(async () => {
  // A plain SMTP server (no STARTTLS: smtp-server's built-in certificate has expired), as a clinic's relay would be.
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const to = Array.isArray(parsed.to) ? parsed.to[0] : parsed.to;
          mails.push({ to: to?.value[0]?.address ?? "", subject: parsed.subject ?? "", text: parsed.text ?? "" });
          for (const wake of waiting) wake();
          waiting = [];
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  stack = await startStack({ env: { REGISTRATION_VERIFICATION: "email", SMTP_URL: `smtp://127.0.0.1:${port}`, MAIL_FROM: "Clinic <clinic@example.test>" } });
  url = stack.routerUrl;
});

afterAll(async () => {
  await stack?.stop();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

/** The next mail to `to` (woken by each arriving mail, bounded). */
async function mailTo(to: string, after = 0): Promise<Mail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = mails.slice(after).find((m) => m.to === to);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${to}`);
    await Promise.race([new Promise<void>((resolve) => waiting.push(resolve)), new Promise((resolve) => setTimeout(resolve, 1_000))]);
  }
}

const REQUEST = "mutation($e: String!) { requestRegistrationCode(email: $e) }";
const REGISTER = "mutation($i: RegisterPatientInput!) { registerPatient(input: $i) { accessToken user { email } } }";
const PASSWORD = "Verified-patient-1";
const codeIn = (mail: Mail) => /\b(\d{6})\b/.exec(mail.subject)?.[1];
/** What a caller sees of an answer: status, data and error codes/messages/paths (nothing else may differ). */
const visible = (res: Response<unknown>) => ({
  status: res.status,
  data: res.data,
  errors: res.errors?.map((e) => ({ message: e.message, code: e.extensions?.code, path: e.path })),
});

describe("registration with an e-mail code", () => {
  it("a free address gets a code and registers with it, once", async () => {
    const email = uniqueEmail("verified");
    expect(visible(await graphql(url, REQUEST, { e: email }))).toEqual({ status: 200, data: { requestRegistrationCode: true }, errors: undefined });
    const mail = await mailTo(email);
    const code = codeIn(mail)!;
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.text).toContain(code);

    const missing = await graphql(url, REGISTER, { i: { email, password: PASSWORD, name: "Verified Patient" } });
    expect(missing.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const { registerPatient } = await expectData<{ registerPatient: { user: { email: string } } }>(url, REGISTER, {
      i: { email, password: PASSWORD, name: "Verified Patient", verificationCode: code },
    });
    expect(registerPatient.user.email).toBe(email);
    // Used up: the same code does not register anyone again.
    const again = await graphql(url, REGISTER, { i: { email, password: PASSWORD, name: "Someone Else", verificationCode: code } });
    expect(again.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("a taken address answers exactly like a free one: the same code answer, the same wrong-code answer; its owner gets a notice", async () => {
    const taken = uniqueEmail("taken");
    const before = mails.length;
    await expectData(url, REQUEST, { e: taken });
    const { registerPatient: first } = await expectData<{ registerPatient: unknown }>(url, REGISTER, {
      i: { email: taken, password: PASSWORD, name: "Owner", verificationCode: codeIn(await mailTo(taken, before))! },
    });
    expect(first).toBeTruthy();

    const free = uniqueEmail("free");
    const [askTaken, askFree] = [await graphql(url, REQUEST, { e: taken }), await graphql(url, REQUEST, { e: free })];
    expect(visible(askTaken)).toEqual(visible(askFree));
    // A registration attempt for either address with a code the caller made up: the same answer.
    const input = (email: string) => ({ i: { email, password: PASSWORD, name: "Prober", phone: "+49 30 1234567", verificationCode: "000000" } });
    const [regTaken, regFree] = [await graphql(url, REGISTER, input(taken)), await graphql(url, REGISTER, input(free))];
    expect(visible(regTaken)).toEqual(visible(regFree));
    expect(regTaken.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(regTaken.errors?.[0]?.path).toEqual(["registerPatient"]);

    // The owner of the taken address is told by mail, with no code; the free address got a code.
    const notice = await mailTo(taken, before + 1);
    expect(notice.subject).toBe("Your Clinigraph account");
    expect(codeIn(notice)).toBeUndefined();
    expect(codeIn(await mailTo(free))).toMatch(/^\d{6}$/);
  });

  it("a code allows 5 tries: after 5 wrong ones the right one no longer works", async () => {
    const email = uniqueEmail("guessed");
    const before = mails.length;
    await expectData(url, REQUEST, { e: email });
    const code = codeIn(await mailTo(email, before))!;
    const wrong = code === "111111" ? "222222" : "111111";
    for (let i = 0; i < 5; i++) {
      const res = await graphql(url, REGISTER, { i: { email, password: PASSWORD, name: "Guess", verificationCode: wrong } });
      expect(res.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    const late = await graphql(url, REGISTER, { i: { email, password: PASSWORD, name: "Guess", verificationCode: code } });
    expect(late.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("reception registers a patient at the desk without a code", async () => {
    const reception = uniqueEmail("reception");
    const admin = (
      await expectData<{ login: { accessToken: string } }>(url, "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }", {
        e: stack.admin.email,
        p: stack.admin.password,
      })
    ).login.accessToken;
    await expectData(
      url,
      "mutation($i: CreateStaffUserInput!) { createStaffUser(input: $i) { id } }",
      { i: { email: reception, password: "Reception-pass-1", name: "Desk", role: "RECEPTIONIST" } },
      admin,
    );
    const desk = (
      await expectData<{ login: { accessToken: string } }>(url, "mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }", {
        e: reception,
        p: "Reception-pass-1",
      })
    ).login.accessToken;
    const email = uniqueEmail("walkin");
    const { registerPatient } = await expectData<{ registerPatient: { user: { email: string } } }>(
      url,
      REGISTER,
      { i: { email, password: PASSWORD, name: "Walk In" } },
      desk,
    );
    expect(registerPatient.user.email).toBe(email);
  });
});
