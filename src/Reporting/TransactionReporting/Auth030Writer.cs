using System.Globalization;
using System.Text;
using System.Xml;

namespace TradSys.Reporting.TransactionReporting;

/// <summary>
/// The machine-readable twin of the EMIR derivatives report, in the spirit of ISO 20022 <c>auth.030.001.03</c> DerivsTradRpt
/// (the message EMIR Refit prescribes). Simplified: the element names and nesting follow the message for the fields the platform
/// populates (counterparty data, contract data, transaction data), but the file is not complete or validated against the trade
/// repositories' XSD: valuation, margin and the other unpopulated Refit blocks are absent. Records with validation problems are
/// written too (the PDF lists them).
/// </summary>
public static class Auth030Writer
{
    /// <summary>The message's namespace.</summary>
    public const string Namespace = "urn:iso:std:iso:20022:tech:xsd:auth.030.001.03";

    /// <summary>UTF-8 XML, indented, without a byte-order mark.</summary>
    public static byte[] Write(EmirDerivativesData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        using var stream = new MemoryStream();
        using (var w = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
        {
            w.WriteStartDocument();
            w.WriteStartElement("Document", Namespace);
            w.WriteStartElement("DerivsTradRpt", Namespace);
            w.WriteStartElement("TradData", Namespace);
            foreach (var r in data.Reports)
            {
                w.WriteStartElement("Rpt", Namespace);
                w.WriteStartElement("New", Namespace);
                w.WriteStartElement("CtrPtySpcfcData", Namespace);
                w.WriteStartElement("CtrPty", Namespace);
                w.WriteStartElement("RptgCtrPty", Namespace);
                Party(w, r.ReportingCounterparty);
                Text(w, "Ntr", r.ReportingCounterpartyClass);
                w.WriteStartElement("DrctnOrSd", Namespace);
                w.WriteStartElement("Drctn", Namespace);
                Text(w, "DrctnOfTheFrstLeg", r.Direction);
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteStartElement("OthrCtrPty", Namespace);
                w.WriteStartElement("IdTp", Namespace);
                Party(w, r.OtherCounterparty);
                w.WriteEndElement();
                Text(w, "Ntr", r.OtherCounterpartyClass);
                w.WriteEndElement();
                w.WriteStartElement("SubmitgAgt", Namespace);
                Text(w, "LEI", r.ReportSubmittingEntity);
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteStartElement("CmonTradData", Namespace);
                w.WriteStartElement("CtrctData", Namespace);
                Text(w, "CtrctTp", r.ContractType);
                Text(w, "AsstClss", r.AssetClass);
                w.WriteStartElement("PdctId", Namespace);
                Text(w, "ISIN", r.Isin);
                w.WriteEndElement();
                if (r.UnderlyingIsin is { } underlying)
                {
                    w.WriteStartElement("UndrlygInstrm", Namespace);
                    Text(w, "ISIN", underlying);
                    w.WriteEndElement();
                }
                Text(w, "SttlmCcy", r.Currency);
                w.WriteEndElement();
                w.WriteStartElement("TxData", Namespace);
                Text(w, "ActnTp", r.ActionType);
                w.WriteStartElement("TxId", Namespace);
                Text(w, "UnqTxIdr", r.Uti);
                w.WriteEndElement();
                Text(w, "PltfmIdr", r.Venue);
                w.WriteStartElement("TxPric", Namespace);
                Amount(w, r.Price, r.Currency);
                w.WriteEndElement();
                w.WriteStartElement("NtnlAmt", Namespace);
                w.WriteStartElement("FrstLeg", Namespace);
                Amount(w, r.Notional, r.Currency);
                w.WriteEndElement();
                w.WriteEndElement();
                Text(w, "NtnlQty", r.Quantity.ToString(CultureInfo.InvariantCulture));
                Text(w, "PricMltplr", r.PriceMultiplier.ToString("0.##########", CultureInfo.InvariantCulture));
                Text(w, "ExctnTmStmp", r.ExecutionTimestamp);
                if (r.ExpiryDate is { } expiry)
                {
                    Text(w, "XprtnDt", expiry.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                }
                w.WriteStartElement("TradClr", Namespace);
                Text(w, "ClrSts", r.Cleared == "Y" ? "true" : "false");
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
                w.WriteEndElement();
            }
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndElement();
            w.WriteEndDocument();
        }
        return stream.ToArray();
    }

    private static void Party(XmlWriter w, PartyIdentification party)
    {
        w.WriteStartElement("Id", Namespace);
        if (party.Type == "LEI")
        {
            w.WriteStartElement("Lgl", Namespace);
            w.WriteStartElement("Id", Namespace);
            Text(w, "LEI", party.Id ?? "");
            w.WriteEndElement();
            w.WriteEndElement();
        }
        else
        {
            // A natural person (not an EMIR counterparty) or an unidentified party: the code the validation section explains.
            w.WriteStartElement("Ntrl", Namespace);
            w.WriteStartElement("Id", Namespace);
            Text(w, "Id", party.Id ?? "NOT-IDENTIFIED");
            Text(w, "SchmeNm", party.Scheme ?? "NONE");
            w.WriteEndElement();
            w.WriteEndElement();
        }
        w.WriteEndElement();
    }

    private static void Amount(XmlWriter w, decimal amount, string currency)
    {
        w.WriteStartElement("MntryVal", Namespace);
        w.WriteStartElement("Amt", Namespace);
        w.WriteAttributeString("Ccy", currency);
        w.WriteString(amount.ToString("0.##########", CultureInfo.InvariantCulture));
        w.WriteEndElement();
        w.WriteEndElement();
    }

    private static void Text(XmlWriter w, string element, string value) => w.WriteElementString(element, Namespace, value);
}
