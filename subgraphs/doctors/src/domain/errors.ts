/** Domain errors of the doctors subgraph that more than one layer raises. */
import { conflict, notFound } from "@clinigraph/platform";

export const alreadyDoctor = () => conflict("This user is already a doctor", "ALREADY_A_DOCTOR", "input.userId");
export const doctorNotFound = () => notFound("Doctor not found");
