import { useEffect, useRef, useState } from "react";
import type { EChartsOption } from "echarts";

export interface ChartClick {
  data: unknown;
  dataIndex: number;
  seriesName?: string;
  name?: string;
}

interface ChartProps {
  option: EChartsOption;
  height: number;
  /** what the chart shows, for screen readers and the placeholder */
  label: string;
  id: string;
  onItemClick?: (e: ChartClick) => void;
}

/**
 * The server renders a placeholder of the final size (no layout jump); the browser loads ECharts
 * and draws into it. The chart follows the window and its container in size.
 */
export function Chart({ option, height, label, id, onItemClick }: ChartProps) {
  const ref = useRef<HTMLDivElement>(null);
  const clickRef = useRef(onItemClick);
  clickRef.current = onItemClick;
  const [state, setState] = useState<"loading" | "ready" | "failed">("loading");

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let disposed = false;
    let cleanup = () => {};
    import("./echarts.client")
      .then(({ echarts }) => {
        if (disposed) return;
        const chart = echarts.init(el, undefined, { renderer: "canvas" });
        chart.setOption(option, { notMerge: true });
        chart.on("click", (params) => clickRef.current?.(params as unknown as ChartClick));
        // Handy in end-to-end tests and the console: the element knows its chart.
        Object.assign(el, { __chart: chart });
        const resize = () => chart.resize();
        window.addEventListener("resize", resize);
        const observer = typeof ResizeObserver !== "undefined" ? new ResizeObserver(resize) : null;
        observer?.observe(el);
        el.dataset.rendered = "true";
        setState("ready");
        cleanup = () => {
          window.removeEventListener("resize", resize);
          observer?.disconnect();
          chart.dispose();
        };
      })
      .catch((err) => {
        console.warn("chart failed to load", err);
        if (!disposed) setState("failed");
      });
    return () => {
      disposed = true;
      cleanup();
    };
  }, [option]);

  return (
    <div className="chart-frame" style={{ height }}>
      <div ref={ref} id={id} className="chart" data-chart={id} role="img" aria-label={label} style={{ height }} />
      {state !== "ready" && (
        <div className="chart-placeholder" aria-hidden="true">
          {state === "failed" ? "图表加载失败" : "图表加载中…"}
        </div>
      )}
    </div>
  );
}
