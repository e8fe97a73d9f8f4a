import { useId, useState, type FormEvent } from "react";
import { Link } from "react-router";
import { useTranslation } from "react-i18next";
import { useMutation } from "@apollo/client/react";
import { ErrorMessage } from "../../components/ErrorMessage";
import { DoctorServiceSelect } from "../../components/CatalogueSelects";
import { addDays, daysRange, formatDay, today } from "../../lib/time";
import { JoinWaitlistDocument } from "../../generated/operations";

/** The longest range a waitlist entry may span (the API's limit). */
export const MAX_WAITLIST_DAYS = 92;

/** What is wrong with a range of days (`YYYY-MM-DD`, both included), as a text key, or null. */
export function waitlistRangeProblem(from: string, to: string, todayInZone: string): string | null {
  if (!from || !to) return "waitlist.errors.required";
  if (to < from) return "waitlist.errors.order";
  if (to < todayInZone) return "waitlist.errors.past";
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days > MAX_WAITLIST_DAYS) return "waitlist.errors.tooLong";
  return null;
}

/**
 * Joins the doctor's waitlist for a range of the doctor's days: the first in line gets the next freed matching time
 * (booked for them, or requested when the doctor approves each request). Folded away unless the week shown is full.
 */
export function JoinWaitlist({
  doctor,
  monday,
  open,
}: {
  doctor: { id: string; timezone: string; services: readonly { id: string; name: string }[] };
  monday: string;
  open: boolean;
}) {
  const { t, i18n } = useTranslation("patient");
  const id = useId();
  const now = today(doctor.timezone);
  const start = monday > now ? monday : now;
  const [from, setFrom] = useState(start);
  const [to, setTo] = useState(addDays(start, 13));
  const [serviceId, setServiceId] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [join, joining] = useMutation(JoinWaitlistDocument, {
    update: (cache) => {
      cache.evict({ id: "ROOT_QUERY", fieldName: "myWaitlist" });
      cache.gc();
    },
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    const wrong = waitlistRangeProblem(from, to, now);
    setProblem(wrong);
    if (wrong) return;
    const range = daysRange(from, to, doctor.timezone);
    await join({ variables: { input: { doctorId: doctor.id, serviceId: serviceId || null, ...range } } }).catch(() => undefined);
  }

  const joined = joining.data?.joinWaitlist;
  return (
    <details className="card" open={open || undefined}>
      <summary>{t("waitlist.join")}</summary>
      <p className="small">{t("waitlist.joinHint")}</p>
      {joined ? (
        <div className="alert success" role="status">
          <p>{t("waitlist.joined", { from: formatDay(from, i18n.language), to: formatDay(to, i18n.language) })}</p>
          <Link to="/patient/appointments">{t("waitlist.seeList")}</Link>
        </div>
      ) : (
        <form className="form-inline" onSubmit={(e) => void submit(e)} aria-describedby={problem ? `${id}-problem` : undefined}>
          <div className="field">
            <label htmlFor={`${id}-from`}>{t("waitlist.from")}</label>
            <input id={`${id}-from`} type="date" required min={now} value={from} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-to`}>{t("waitlist.to")}</label>
            <input id={`${id}-to`} type="date" required min={from || now} value={to} onChange={(e) => setTo(e.target.value)} />
          </div>
          <DoctorServiceSelect
            id={`${id}-service`}
            label={t("book.service")}
            anyLabel={t("waitlist.anyService")}
            services={doctor.services}
            value={serviceId}
            onChange={setServiceId}
          />
          <button type="submit" disabled={joining.loading}>
            {t("waitlist.submit")}
          </button>
        </form>
      )}
      {problem ? (
        <p id={`${id}-problem`} className="alert" role="alert">
          {t(problem, { max: MAX_WAITLIST_DAYS })}
        </p>
      ) : null}
      <ErrorMessage error={joining.error} />
      <p className="small muted">{t("waitlist.zone", { zone: doctor.timezone })}</p>
    </details>
  );
}
