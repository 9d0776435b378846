"""The national id of a legal person (SPEC 6): 11 digits, digits 4–9 not all zero, and the
check digit; any digits accepted, stored Latin."""

from ronagh.lib import national_id


def test_the_spec_example_is_valid_and_its_neighbour_is_not():
    assert national_id.is_valid("10380284790")
    assert not national_id.is_valid("10380284791")


def test_persian_and_arabic_digits_are_accepted_and_stored_latin():
    assert national_id.is_valid("۱۰۳۸۰۲۸۴۷۹۰")
    assert national_id.is_valid("١٠٣٨٠٢٨٤٧٩٠")
    assert national_id.clean(" ۱۰۳۸۰-۲۸۴۷۹۰ ") == "10380284790"


def test_wrong_length_letters_and_zero_middle_digits_are_refused():
    assert not national_id.is_valid("1038028479")
    assert not national_id.is_valid("103802847900")
    assert not national_id.is_valid("1038028479a")
    body = "1040000000"  # digits 4–9 all zero
    assert not national_id.is_valid(body + str(national_id.check_digit(body)))


def test_a_check_digit_of_ten_counts_as_zero():
    # Search the first body whose sum leaves 10: its id ends in 0 and is valid.
    for serial in range(100000, 200000):
        body = f"1038{serial:06d}"
        d = int(body[9]) + 2
        total = sum((int(c) + d) * k for c, k in zip(body, national_id.COEFFICIENTS, strict=True))
        if total % 11 == 10:
            assert national_id.make(body).endswith("0")
            assert national_id.is_valid(body + "0")
            break
    else:  # pragma: no cover
        raise AssertionError("no body with remainder 10")
