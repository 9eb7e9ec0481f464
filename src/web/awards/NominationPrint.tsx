// The nomination form as printed (A4 portrait, SPEC "Printing"): 附件3 《常州市市本级全民参保登记先进
// 个人申报表》 in the seed's layout, filled in — 姓名/联系电话, 工作单位/职务, 先进事迹概述 (the answers
// to the 申报条件, then the deeds), 区人社部门推荐意见 and 市社保经办机构评定意见 each with 单位（盖章）
// and the date, the footnote — and at the foot the document number and the QR code of its
// verification page, so that a sealed paper copy can be checked against the system. Text longer than
// the 先进事迹概述 box fills the box and continues on a 附页 with the person's name (printFlow.ts).
// Routed outside the app's layout: the page is the sheet.
import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Result, Space, Spin } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import type { Nomination } from '../../shared/api-awards';
import type { PrintedDocument } from '../../shared/api-documents';
import { api, ApiError, errorMessage } from '../api/client';
import { formatTime } from '../common/format';
import { chineseDate, FORM_FOOTNOTE, FORM_TITLE } from './labels';
import { NotFoundResult } from './NominationPage';
import { deedsBlocks, findCut, splitBlocks, type Block, type Cut } from './printFlow';
import './nomination-print.css';

/** The date as 2016年6月5日, or 年 月 日 with room to write it by hand. */
function DateLine({ date }: { date: string | null }) {
  const text = chineseDate(date);
  return <div className="np-date">{text ?? <>年&emsp;&emsp;月&emsp;&emsp;日</>}</div>;
}

function OpinionCell({ opinion, unitName, date, testId }: { opinion: string | null; unitName: string; date: string | null; testId: string }) {
  return (
    <td colSpan={3} className="np-opinion" data-testid={testId}>
      <div className="np-opinion-text">{opinion}</div>
      <div className="np-seal">
        <div>
          单位（盖章）：<span className="np-seal-unit">{unitName}</span>
        </div>
        <DateLine date={date} />
      </div>
    </td>
  );
}

/** One block of the 先进事迹概述 text; its segments carry their place (data-b, data-s) for findCut. */
function BlockView({ block: b, index }: { block: Block; index: number }) {
  const className = `np-block np-${b.kind}${b.cont ? ' np-cont' : ''}`;
  const segs = b.segs.map((s, j) =>
    s.strong ? (
      <strong key={j} data-b={index} data-s={j}>
        {s.text}
      </strong>
    ) : (
      <span key={j} data-b={index} data-s={j}>
        {s.text}
      </span>
    ),
  );
  // Paragraphs of the deeds are <p>, indented as typed on paper; headings and conditions are not.
  return b.kind === 'para' ? <p className={className}>{segs}</p> : <div className={className}>{segs}</div>;
}

/**
 * Where the box's text is cut for the 附页, measured once per text: the box is first rendered with
 * all of it (clipped), then with what fits. Widths are the same on screen and on paper (180 mm
 * inside the sheet's and the page's 15 mm margins), so the screen's cut is the paper's.
 */
function useDeedsCut(blocks: Block[], onReady: (() => void) | undefined) {
  const boxRef = useRef<HTMLDivElement>(null);
  const [measured, setMeasured] = useState<{ blocks: Block[]; cut: Cut | null } | null>(null);
  const current = measured?.blocks === blocks ? measured : null;
  useEffect(() => {
    if (current) return;
    let live = true;
    // System fonts may still be loading: measure with the fonts the page will print with.
    void document.fonts.ready.then(() => {
      if (live && boxRef.current) setMeasured({ blocks, cut: findCut(boxRef.current) });
    });
    return () => {
      live = false;
    };
  }, [blocks, current]);
  useEffect(() => {
    if (current) onReady?.();
  }, [current, onReady]);
  const parts = useMemo(() => (current?.cut ? splitBlocks(blocks, current.cut) : { first: blocks, rest: [] }), [blocks, current]);
  return { boxRef, ready: current !== null, ...parts };
}

export function NominationSheet({ nomination: n, doc, onReady }: { nomination: Nomination; doc: PrintedDocument | null; onReady?: () => void }) {
  const blocks = useMemo(() => deedsBlocks(n), [n]);
  const { boxRef, ready, first, rest } = useDeedsCut(blocks, onReady);
  return (
    <div className="np-sheets" data-layout={ready ? 'ready' : 'measuring'}>
      <div className="np-sheet" data-testid="nomination-print">
        <h1>{FORM_TITLE}</h1>
        <table className="np-table">
          <colgroup>
            <col className="np-col-label" />
            <col />
            <col className="np-col-label" />
            <col />
          </colgroup>
          <tbody>
            <tr className="np-row-basic">
              <th>姓&emsp;&emsp;名</th>
              <td data-testid="print-name">{n.name}</td>
              <th>联系电话</th>
              <td data-testid="print-phone">{n.phone}</td>
            </tr>
            <tr className="np-row-basic">
              <th>工作单位</th>
              <td data-testid="print-workUnit">{n.workUnit}</td>
              <th>职&emsp;&emsp;务</th>
              <td data-testid="print-position">{n.position}</td>
            </tr>
            <tr className="np-row-deeds">
              <th className="np-label-stacked">
                先进
                <br />
                事迹
                <br />
                概述
              </th>
              <td colSpan={3} className="np-deeds" data-testid="print-deeds">
                <div className="np-deeds-box" ref={boxRef} data-testid="print-deeds-box">
                  {first.map((b, i) => (
                    <BlockView key={i} block={b} index={i} />
                  ))}
                </div>
                <div className="np-deeds-more" data-testid="print-deeds-more">
                  {rest.length > 0 ? '（下转附页）' : ''}
                </div>
              </td>
            </tr>
            <tr className="np-row-opinion">
              <th>
                区人社部门
                <br />
                推荐意见
              </th>
              <OpinionCell opinion={n.unitOpinion} unitName={n.orgUnitName} date={n.unitOpinionDate} testId="print-unit-opinion" />
            </tr>
            <tr className="np-row-opinion">
              <th>
                市社保
                <br />
                经办机构
                <br />
                评定意见
              </th>
              <OpinionCell opinion={n.status === 'approved' || n.status === 'rejected' ? n.cityOpinion : null} unitName="" date={n.status === 'approved' || n.status === 'rejected' ? n.cityOpinionDate : null} testId="print-city-opinion" />
            </tr>
          </tbody>
        </table>
        <p className="np-footnote">{FORM_FOOTNOTE}</p>
        {doc && (
          <div className="np-doc" data-testid="print-doc">
            <div className="np-doc-text">
              <div>
                文书编号：<span className="np-doc-number" data-testid="doc-number">{doc.docNumber}</span>
              </div>
              <div>出具时间：{formatTime(doc.issuedAt)}</div>
              <div>
                扫码核验：<span className="np-doc-url">{doc.verifyUrl}</span>
              </div>
            </div>
            {/* The SVG is made by the server from the verification address (no user input in it). */}
            <div className="np-qr" data-testid="doc-qr" role="img" aria-label="核验二维码" dangerouslySetInnerHTML={{ __html: doc.qrSvg }} />
          </div>
        )}
      </div>
      {rest.length > 0 && <AnnexSheet nomination={n} blocks={rest} docNumber={doc?.docNumber ?? null} />}
    </div>
  );
}

/**
 * The 附页 ("如文字过多可另行附纸"): on a page of its own, titled, naming the person and the form, the
 * rest of the 先进事迹概述 in order. Its heading is a table head, which Chromium repeats on every
 * printed page when the 附页 runs to several.
 */
function AnnexSheet({ nomination: n, blocks, docNumber }: { nomination: Nomination; blocks: Block[]; docNumber: string | null }) {
  return (
    <div className="np-sheet np-annex" data-testid="print-annex">
      <table className="np-annex-table">
        <thead>
          <tr>
            <th>
              <div className="np-annex-title">附&emsp;页</div>
              <div className="np-annex-head" data-testid="print-annex-head">
                <span>
                  姓名：<b>{n.name}</b>
                </span>
                <span>工作单位：{n.workUnit}</span>
                <span>先进事迹概述（续）</span>
              </div>
            </th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <td className="np-annex-body" data-testid="print-annex-text">
              {blocks.map((b, i) => (
                <BlockView key={i} block={b} index={i} />
              ))}
            </td>
          </tr>
        </tbody>
      </table>
      <div className="np-annex-foot">
        {FORM_TITLE}附页{docNumber ? `\u3000文书编号：${docNumber}` : ''}
      </div>
    </div>
  );
}

export function NominationPrintPage() {
  const idParam = Number(useParams().id);
  const id = Number.isInteger(idParam) && idParam > 0 ? idParam : null;
  const [n, setN] = useState<Nomination | null>(null);
  const [doc, setDoc] = useState<PrintedDocument | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [docError, setDocError] = useState<string | null>(null);
  const [laidOut, setLaidOut] = useState(false);
  const onLaidOut = useMemo(() => () => setLaidOut(true), []);

  useEffect(() => {
    if (id === null) return;
    let live = true;
    (async () => {
      try {
        const got = await api.get<Nomination>(`/api/nominations/${id}`);
        if (!live) return;
        setN(got);
      } catch (err) {
        if (live) setError(err);
        return;
      }
      try {
        // Each print is a document of its own: number, time and QR code of its verification page.
        const d = await api.post<PrintedDocument>(`/api/nominations/${id}/document`);
        if (live) setDoc(d);
      } catch (err) {
        if (live) setDocError(errorMessage(err));
      }
    })();
    return () => {
      live = false;
    };
  }, [id]);

  const back = id === null ? '/awards' : `/awards/nominations/${id}`;
  if (id === null || (error instanceof ApiError && error.status === 404)) {
    return <NotFoundResult />;
  }
  if (error) return <Result status="error" title="加载失败" subTitle={errorMessage(error)} extra={<Link to={back}>返回</Link>} />;

  return (
    <div className="np-page">
      <div className="np-toolbar no-print">
        <Space>
          <Link to={back}>
            <Button icon={<ArrowLeftOutlined />}>返回</Button>
          </Link>
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} disabled={!n || !laidOut || (!doc && !docError)} data-testid="print-button">
            打印
          </Button>
          <span className="np-toolbar-hint">A4 纵向打印；盖章后报送市社保经办机构。</span>
        </Space>
        {docError && <Alert type="warning" showIcon style={{ marginTop: 8 }} title={`未能生成文书编号和核验二维码：${docError}`} />}
      </div>
      {n ? <NominationSheet nomination={n} doc={doc} onReady={onLaidOut} /> : <Spin style={{ display: 'block', marginTop: 80 }} />}
    </div>
  );
}
