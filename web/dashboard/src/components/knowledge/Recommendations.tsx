import { useLang } from "../../hooks.ts";
import { knowledgeApi } from "../../knowledge-api.ts";
import { LoadedList, SectionPage, useLoad } from "./shared.tsx";

/** What the shopping assistant recommended: per product, cards shown in answers, opened by shoppers, and the share opened. */
export function Recommendations() {
  const { t, lang } = useLang();
  const loaded = useLoad(() => knowledgeApi.recommendations(lang), [lang]);
  const percent = (clicked: number, shown: number) => (shown === 0 ? "–" : `${((clicked / shown) * 100).toFixed(1)}%`);
  return (
    <SectionPage id="recommendations" title={t("kn.recommendations")} count={loaded.data?.length ?? null} hint={t("kn.recommendationsHint")} error={loaded.error}>
      <LoadedList items={loaded.data} failed={loaded.error !== null} empty={t("kn.noRecommendations")}>
        {(products) => (
          <div class="kn-table-wrap">
            <table class="kn-table kn-recommendations">
              <thead>
                <tr>
                  <th>{t("kn.col.product")}</th>
                  <th class="num">{t("kn.col.shown")}</th>
                  <th class="num">{t("kn.col.clicked")}</th>
                  <th class="num">{t("kn.col.clickRate")}</th>
                </tr>
              </thead>
              <tbody>
                {products.map((product) => (
                  <tr key={product.sku} data-sku={product.sku}>
                    <td>
                      <span class="kn-rec-name" dir="auto">{product.name ?? t("kn.productGone")}</span>
                      <span class="muted small mono"> {product.sku}</span>
                    </td>
                    <td class="num">{product.shown}</td>
                    <td class="num">{product.clicked}</td>
                    <td class="num">{percent(product.clicked, product.shown)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </LoadedList>
    </SectionPage>
  );
}
