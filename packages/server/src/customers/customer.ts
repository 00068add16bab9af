/**
 * What a customer is to the operator and the login pages, apart from the
 * database: the public `@cds-toolkit/server` types name these, so they must not
 * reach drizzle's types (tools/checks/consumer-install.test.ts).
 */

/** A customer as the operator and the login pages see one: no secrets. */
export interface Customer {
  /** The account id: the `sub` of tokens issued for this customer. */
  accountId: string;
  username: string;
  displayName: string;
  created: Date;
  modified: Date;
}

export interface NewCustomer {
  /** Made up (`customer-<uuid>`) when absent. */
  accountId?: string;
  /** 3 to 64 characters of `a-z`, `0-9`, `.`, `_` and `-`. */
  username: string;
  displayName: string;
  /** At least 12 characters; kept only as an argon2id hash (customers/password.ts). */
  password: string;
}

/** A customer that cannot be added; `field` names the input at fault and the message the rule. */
export class CustomerInputError extends Error {
  override name = "CustomerInputError";
  readonly field: keyof NewCustomer;
  constructor(field: keyof NewCustomer, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}
