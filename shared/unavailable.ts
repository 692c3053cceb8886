// "The other side could not be reached or did not answer in time": the outcome of what was asked
// is unknown, and the caller settles it later by asking for its status. The station's gateway
// to the platform and the platform's billers each throw their own class of it.

/** A class of such errors named `name`, whose message is `defaultMessage` unless given. */
export function unavailableError(name: string, defaultMessage: string) {
  return class extends Error {
    constructor(message = defaultMessage) {
      super(message);
      this.name = name;
    }
  };
}
