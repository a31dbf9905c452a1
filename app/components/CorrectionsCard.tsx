import { Form } from "@remix-run/react";
import { Card, PlainTable } from "~/components/Panels";
import { CsrfInput } from "~/root";
import { time } from "~/versions/VersionsCard";

export interface CorrectionView {
  id: number;
  target: string;
  label: string;
  oldValue: string;
  newValue: string;
  reason: string;
  by: string;
  at: string;
  revokedAt: string | null;
  revokedBy: string | null;
  applied: boolean;
}

/** 审核与更正: the review state, each correction (who, when, why, old → new) and the form for a new one. */
export function CorrectionsCard({
  corrections,
  review,
  canReview,
  targets,
}: {
  corrections: CorrectionView[];
  review: { reviewedAt: string | null; reviewedBy: string | null } | null;
  canReview: boolean;
  targets: { value: string; label: string; current: string }[];
}) {
  return (
    <div id="corrections">
      <Card
        title="审核与更正"
        actions={
          review?.reviewedAt ? (
            <span className="tag" data-testid="reviewed">
              已审核 · {review.reviewedBy} · {time(review.reviewedAt)}
            </span>
          ) : canReview && review ? (
            <Form method="post" className="inline-form">
              <CsrfInput />
              <input type="hidden" name="intent" value="review" />
              <button type="submit" className="button" data-testid="mark-reviewed">
                标记已审核
              </button>
            </Form>
          ) : (
            <span className="tag tag-warn">未审核</span>
          )
        }
      >
        {corrections.length ? (
          <PlainTable headings={["项目", "提取值", "更正为", "理由", "更正人", "状态", ""]}>
            {corrections.map((c) => (
              <tr key={c.id} data-testid="correction-row">
                <td>{c.label}</td>
                <td className="num">{c.oldValue}</td>
                <td className="num">{c.newValue}</td>
                <td>{c.reason}</td>
                <td>
                  {c.by}
                  <div className="muted">{time(c.at)}</div>
                </td>
                <td>{c.revokedAt ? `已撤销（${c.revokedBy}）` : c.applied ? "已应用" : "本版本数值已变，未应用"}</td>
                <td>
                  {canReview && !c.revokedAt ? (
                    <Form method="post" className="inline-form">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="correctionId" value={c.id} />
                      <button type="submit" className="link-button-dark">
                        撤销
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </PlainTable>
        ) : (
          <p className="card-note">本报告的数值均为自动提取，尚无人工更正。</p>
        )}
        {canReview ? (
          <Form method="post" className="correction-form" data-testid="correction-form">
            <CsrfInput />
            <input type="hidden" name="intent" value="correct" />
            <label className="field">
              更正项目
              <select name="target" required>
                {targets.map((t) => (
                  <option key={t.value} value={t.value}>
                    {t.label}（现值 {t.current}）
                  </option>
                ))}
              </select>
            </label>
            <label className="field">
              新值
              <input name="value" maxLength={200} placeholder="金额以万元计；是否达成填 达成/未达成" />
            </label>
            <label className="field">
              理由
              <input name="reason" required minLength={2} maxLength={500} placeholder="例如：原文第 6 行为 80 万元，解析误读" />
            </label>
            <button type="submit" className="button primary">
              保存更正
            </button>
          </Form>
        ) : null}
      </Card>
    </div>
  );
}
