export { addCustomer, authenticateCustomer, CustomerInputError, findCustomerByAccountId, type Customer, type NewCustomer } from "./store.js";
export { hashPassword, verifyPassword } from "./password.js";
export { LoginGuard, type LoginOutcome, type LoginRefusal } from "./login-guard.js";
