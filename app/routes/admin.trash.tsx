/** /admin/trash — 回收站: deleted reports, each restorable by the admin. */
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Card, PlainTable } from "~/components/Panels";
import { Page } from "~/components/Page";
import { recordEvent } from "~/auth/audit.server";
import { clientAddress, requireForm, requireViewer } from "~/auth/session.server";
import { getDb } from "~/db.server";
import { CsrfInput } from "~/root";
import { time } from "~/versions/VersionsCard";
import { getVersion, listDeletedVersions, restoreVersion, VersionError } from "~/versions/versions.server";

export const meta: MetaFunction = () => [{ title: "回收站 · 绩效分析" }];

const ADMIN = ["admin"] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireViewer(request, { roles: ADMIN });
  return json({ deleted: await listDeletedVersions(getDb(), { limit: 500 }) });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { viewer, form } = await requireForm(request, { roles: ADMIN });
  const versionId = Number(form.get("versionId"));
  const db = getDb();
  const v = Number.isInteger(versionId) ? await getVersion(db, { versionId }) : null;
  if (!v || v.state !== "deleted") return json({ error: "该报告不在回收站中。" }, { status: 400 });
  try {
    const { reportId } = await restoreVersion(db, { versionId, by: viewer.username });
    await recordEvent(db, { actor: viewer.id, actorName: viewer.username, action: "report.undelete", address: clientAddress(context), target: { type: "report", id: reportId, label: v.label }, detail: { version: v.version } });
    return redirect(`/reports/${reportId}`);
  } catch (e) {
    if (e instanceof VersionError) return json({ error: e.message }, { status: 400 });
    throw e;
  }
}

export default function Trash() {
  const { deleted } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  return (
    <Page title="回收站" subtitle="删除的报告保留全部版本和原文件，可恢复为当前版本" filters={false}>
      {failed?.error ? (
        <p className="panel-error" role="alert">
          {failed.error}
        </p>
      ) : null}
      <Card title={`已删除的报告（${deleted.length}）`}>
        {deleted.length === 0 ? (
          <p className="no-data">回收站是空的。</p>
        ) : (
          <PlainTable headings={["报告", "版本", "文件", "删除时间", "删除人", ""]}>
            {deleted.map((v) => (
              <tr key={v.id} data-testid="trash-row">
                <td>{v.label || v.reportKey}</td>
                <td>v{v.version}</td>
                <td>{v.fileName}</td>
                <td>{time(v.archivedAt)}</td>
                <td>{v.archivedBy}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <CsrfInput />
                    <input type="hidden" name="versionId" value={v.id} />
                    <button type="submit" className="button">
                      恢复
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </PlainTable>
        )}
      </Card>
    </Page>
  );
}
