/** Billing's pages (BILLING and ADMIN): invoices (home) and the price list. */
import { Route, Routes } from "react-router";
import { Invoices } from "./Invoices";
import { PriceList } from "./PriceList";

export default function BillingArea() {
  return (
    <Routes>
      <Route index element={<Invoices />} />
      <Route path="prices" element={<PriceList />} />
    </Routes>
  );
}
