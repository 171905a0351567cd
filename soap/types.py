"""SOAP types of the accounting API, and the result envelope every operation returns."""

from __future__ import annotations

from spyne import Array, Boolean, ComplexModel, Decimal, Unicode

from domain.tokens import MAX_ACCESS_TOKEN_CHARS

TNS = "http://integrations.aiq.example/soap"


class AiqSoapHeader(ComplexModel):
    __namespace__ = TNS
    Entity = Unicode(max_len=64)
    AccessToken = Unicode(max_len=MAX_ACCESS_TOKEN_CHARS)


class Entity(ComplexModel):
    __namespace__ = TNS
    Code = Unicode
    Name = Unicode


class CompanyInformation(ComplexModel):
    __namespace__ = TNS
    Code = Unicode
    Name = Unicode
    BaseCurrency = Unicode


class GLAccount(ComplexModel):
    __namespace__ = TNS
    Code = Unicode
    Name = Unicode
    AccountType = Unicode


class Customer(ComplexModel):
    __namespace__ = TNS
    Code = Unicode(max_len=64)
    Name = Unicode(max_len=1000)
    ContactName = Unicode(max_len=1000)
    Email = Unicode(max_len=1000)
    Phone = Unicode(max_len=1000)
    Address1 = Unicode(max_len=1000)
    Address2 = Unicode(max_len=1000)
    City = Unicode(max_len=1000)
    PostCode = Unicode(max_len=1000)
    Country = Unicode(max_len=1000)
    Currency = Unicode(max_len=10)
    CreditLimit = Decimal
    OnHold = Boolean


# SOAP name -> domain field name, for the customer.
CUSTOMER_FIELDS = {
    "Code": "code",
    "Name": "name",
    "ContactName": "contact_name",
    "Email": "email",
    "Phone": "phone",
    "Address1": "address1",
    "Address2": "address2",
    "City": "city",
    "PostCode": "post_code",
    "Country": "country",
    "Currency": "currency",
    "CreditLimit": "credit_limit",
    "OnHold": "on_hold",
}


def _envelope(name: str, result: type | None) -> type[ComplexModel]:
    fields: dict[str, object] = {
        "Status": Unicode,
        "ErrorCode": Unicode,
        "ErrorMessage": Unicode,
        "HasExpired": Boolean,
    }
    if result is not None:
        fields["Result"] = result
    return ComplexModel.produce(TNS, name, fields)  # type: ignore[no-any-return]


EntityListResult = _envelope("EntityListResult", Array(Entity))
CompanyInformationResult = _envelope("CompanyInformationResult", CompanyInformation)
GLAccountListResult = _envelope("GLAccountListResult", Array(GLAccount))
CustomerListResult = _envelope("CustomerListResult", Array(Customer))
CustomerResult = _envelope("CustomerResult", Customer)
