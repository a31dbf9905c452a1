import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { logout } from "~/auth/login.server";

/** POST /logout (with the CSRF token): ends the session on this browser. */
export async function action({ request, context }: ActionFunctionArgs) {
  return redirect("/login", { headers: { "Set-Cookie": await logout(request, context) } });
}

export function loader() {
  return redirect("/");
}
