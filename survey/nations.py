"""The four UK nations: where a GP practises decides which route, service or rule they see first.

Pure: the keys are stored on enrolments (``Enrolment.nation``) and name the sections of
four-nations blocks in module pages.
"""

#: Key stored on the enrolment -> the nation's name (also the `####` heading in four-nations blocks).
NATIONS = {"england": "England", "scotland": "Scotland", "wales": "Wales", "northern-ireland": "Northern Ireland"}
NATION_QUESTION = "Which UK nation do you mainly practise in?"
