using System.Globalization;
using System.Text;
using System.Xml;

namespace TradSys.Reporting.TransactionReporting;

/// <summary>
/// The machine-readable twin of the MiFID II transaction report: an ISO 20022 <c>auth.016.001.01</c> FinInstrmRptgTxRpt document,
/// the structure ESMA's transaction-reporting instructions use, one <c>Tx/New</c> per record. Only the populated fields are written
/// (see <see cref="Rts22Transaction"/>); the file is not validated against ESMA's XSD here, and records with validation problems are
/// written too (the PDF's validation section lists them) so nothing is silently dropped.
/// </summary>
public static class Auth016Writer
{
    /// <summary>The message's namespace.</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:auth.016.001.01";

    /// <summary>UTF-8 XML, indented, without a byte-order mark.</summary>
    public static byte[] Write(MifidTransactionData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true };
        using (var w = XmlWriter.Create(stream, settings))
        {
            w.WriteStartDocument();
            w.WriteStartElement("Document", Namespace);
            w.WriteStartElement("FinInstrmRptgTxRpt", Namespace);
            foreach (var r in data.Records)
            {
                w.WriteStartElement("Tx", Namespace);
                w.WriteStartElement("New", Namespace);
                Text(w, "TxId", r.Trn);
                Text(w, "ExctgPty", r.ExecutingEntity);
                Text(w, "InvstmtPtyInd", r.InvestmentFirm ? "true" : "false");
                Text(w, "SubmitgPty", r.SubmittingEntity);
                Party(w, "Buyr", r.Buyer);
                Party(w, "Sellr", r.Seller);
                w.WriteStartElement("OrdrTrnsmssn", Namespace);
                Text(w, "TrnsmssnInd", r.TransmissionOfOrder ? "true" : "false");
                w.WriteEndElement();
                w.WriteStartElement("Tx", Namespace);
                Text(w, "TradDt", r.TradingDateTime);
                Text(w, "TradgCpcty", r.TradingCapacity);
                w.WriteStartElement("Qty", Namespace);
                Text(w, "Unit", r.Quantity.ToString(CultureInfo.InvariantCulture));
                w.WriteEndElement();
                w.WriteStartElement("Pric", Namespace);
                w.WriteStartElement("Pric", Namespace);
                w.WriteStartElement("MntryVal", Namespace);
                w.WriteStartElement("Amt", Namespace);
                w.WriteAttributeString("Ccy", r.Currency);
                w.WriteString(r.Price.ToString("0.##########", CultureInfo.InvariantCulture));
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
                Text(w, "TradVn", r.Venue);
                if (r.BranchCountry.Length > 0)
                {
                    Text(w, "CtryOfBrnch", r.BranchCountry);
                }
                if (r.Tvtic is { } tvtic)
                {
                    Text(w, "TradPlcMtchgId", tvtic);
                }
                w.WriteEndElement();
                w.WriteStartElement("FinInstrm", Namespace);
                Text(w, "Id", r.Isin);
                w.WriteEndElement();
                if (r.InvestmentDecision is { } decision)
                {
                    Within(w, "InvstmtDcsnPrsn", decision, r.BranchCountry);
                }
                Within(w, "ExctgPrsn", r.Execution, r.BranchCountry);
                w.WriteStartElement("AddtlAttrbts", Namespace);
                if (r.Waiver is { } waiver)
                {
                    Text(w, "WvrInd", waiver);
                }
                if (r.ShortSelling is { } ssi)
                {
                    Text(w, "ShrtSellgInd", ssi);
                }
                if (r.OtcPostTrade is { } otc)
                {
                    Text(w, "OTCPstTradInd", otc);
                }
                Text(w, "RskRdcgTx", r.CommodityDerivative ? "true" : "false");
                Text(w, "SctiesFincgTxInd", r.SecuritiesFinancing ? "true" : "false");
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return stream.ToArray();
    }

    private static void Party(XmlWriter w, string element, PartyIdentification party)
    {
        w.WriteStartElement(element, Namespace);
        w.WriteStartElement("AcctOwnr", Namespace);
        w.WriteStartElement("Id", Namespace);
        switch (party.Type)
        {
            case "LEI":
                Text(w, "LEI", party.Id ?? "");
                break;
            case "MIC":
                Text(w, "MIC", party.Id ?? "");
                break;
            case "NATIONAL_ID":
                w.WriteStartElement("Prsn", Namespace);
                Text(w, "FrstNm", party.FirstName ?? "");
                Text(w, "Nm", party.Surname ?? "");
                if (party.BirthDate is { } born)
                {
                    Text(w, "BirthDt", born.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }
                Other(w, party);
                w.WriteEndElement();
                break;
            default:
                // Not identified: the validation section names the record, field and reason; the element stays so the record is not lost.
                Text(w, "Intl", "NOT-IDENTIFIED");
                break;
        }
        w.WriteEndElement();
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Within(XmlWriter w, string element, PartyIdentification who, string branchCountry)
    {
        w.WriteStartElement(element, Namespace);
        if (who.Type == "ALGO")
        {
            Text(w, "Algo", who.Id ?? "");
        }
        else
        {
            w.WriteStartElement("Prsn", Namespace);
            if (branchCountry.Length > 0)
            {
                Text(w, "CtryOfBrnch", branchCountry);
            }
            Other(w, who);
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Other(XmlWriter w, PartyIdentification who)
    {
        w.WriteStartElement("Othr", Namespace);
        Text(w, "Id", who.Id ?? "NOT-IDENTIFIED");
        w.WriteStartElement("SchmeNm", Namespace);
        Text(w, "Prtry", who.Scheme ?? "NONE");
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Text(XmlWriter w, string element, string value) => w.WriteElementString(element, Namespace, value);
}
