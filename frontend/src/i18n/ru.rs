//! Russian texts.

use super::Key;

/// Exhaustive on purpose: a new [`Key`] does not compile until it has its Russian text.
pub(super) fn text(key: Key) -> &'static str {
    match key {
        Key::AppTitle => "Единое информационное пространство ЦАРЭС",
        Key::Language => "Язык",
        Key::Loading => "Загрузка…",

        Key::SignInTitle => "Вход в систему",
        Key::SignInIntro => "Для сотрудников таможенных служб стран — участниц ЦАРЭС.",
        Key::LoginLabel => "Логин",
        Key::PasswordLabel => "Пароль",
        Key::SignIn => "Войти",
        Key::SigningIn => "Выполняется вход…",
        Key::ConnectionSettings => "Настройки подключения",

        Key::SignOut => "Выйти",
        Key::ModulesNav => "Модули",
        Key::NavToggle => "Показать или скрыть модули",
        Key::NotYetBuilt => "Модуль в разработке; здесь появятся его рабочие экраны.",

        Key::RoleOfficer => "Таможенный инспектор",
        Key::RoleSupervisor => "Руководитель",
        Key::RoleAdmin => "Администратор",
        Key::RoleTrader => "Участник ВЭД",
        Key::RoleSystem => "Национальная система",

        Key::CountryAz => "Азербайджан",
        Key::CountryAf => "Афганистан",
        Key::CountryGe => "Грузия",
        Key::CountryKz => "Казахстан",
        Key::CountryCn => "Китай",
        Key::CountryKg => "Кыргызстан",
        Key::CountryMn => "Монголия",
        Key::CountryPk => "Пакистан",
        Key::CountryTj => "Таджикистан",
        Key::CountryTm => "Туркменистан",
        Key::CountryUz => "Узбекистан",

        Key::PageSingleWindow => "Единое окно",
        Key::PageCarriers => "Единый реестр перевозчиков",
        Key::PagePreliminary => "Предварительная информация",
        Key::PageDocuments => "Электронный документооборот",
        Key::PageInvoice => "Единый инвойс",
        Key::PageBusiness => "Платформа для бизнеса",
        Key::PageStatistics => "Зеркальная статистика",
        Key::PageRisk => "Управление рисками",
        Key::PageMeetings => "Видеоконференции",
        Key::PageDirectories => "Справочники",
        Key::PageAudit => "Журнал аудита",
        Key::PageSettings => "Настройки",
        Key::PageNetwork => "Сеть",
        Key::PageLedger => "Журнал прозрачности",

        Key::AboutSingleWindow => {
            "Участник ВЭД один раз подаёт декларацию или заявление на разрешение; решения \
             принимают соответствующие ведомства, участник видит статус, а решение может быть \
             взаимно признано другой страной."
        }
        Key::AboutCarriers => {
            "Единый реестр перевозчиков, допущенных к перевозке товаров под таможенным \
             контролем, из записей всех стран, с уровнем добросовестности по нарушениям и \
             поездкам без нарушений, о которых сообщают страны; перевозчик, отмеченный в одной \
             стране, попадает в системы управления рисками других."
        }
        Key::AboutPreliminary => {
            "Предварительные сведения о товарах и транспортных средствах до их прибытия на \
             границу: отправитель, получатель, перевозчик, номера тягача и прицепа, контейнер, \
             маршрут, товары по кодам ГС с количеством, весом и стоимостью, ожидаемое прибытие. \
             Пункт пропуска находит транспортное средство по номеру или контейнеру, а прибытие \
             сопоставляется с предварительной записью."
        }
        Key::LetterArrived => "Новое письмо",
        Key::AboutDocuments => {
            "Официальная переписка между таможенными службами: регистрационные номера, \
             адресаты, вложения, уведомления о доставке и прочтении, ответы, сроки и поиск."
        }
        Key::AboutInvoice => {
            "Единая структура инвойса для всех участников: стороны, производитель, \
             происхождение, Инкотермс, позиции с кодом ГС, количеством и единицей измерения, \
             стоимостью и валютой; приём и выдача в XML и EDIFACT INVOIC с понятными \
             сообщениями об ошибках."
        }
        Key::AboutBusiness => {
            "Личный кабинет участника ВЭД: собственные объёмы импорта и экспорта, документы и \
             их статус, нормативные акты и ссылки на сервисы."
        }
        Key::AboutStatistics => {
            "Страны-партнёры обмениваются статистикой торговли и видят расхождения (экспорт \
             одной страны против импорта её партнёра) по группам ГС и месяцам, в таблицах и на \
             графиках."
        }
        Key::AboutRisk => {
            "Общие профили риска, применяемые к поступающей информации, с зелёным, жёлтым и \
             красным коридорами; срабатывания и результаты досмотра в реальном времени \
             возвращаются стране — владельцу профиля."
        }
        Key::AboutMeetings => {
            "Совещания ведомств нескольких стран, при необходимости привязанные к делу или \
             документу: чат, демонстрация экрана, управление модератором и подписанный \
             протокол."
        }
        Key::AboutDirectories => {
            "Справочники, по которым проверяется каждый документ: страны (ISO 3166-1), валюты \
             (ISO 4217), Гармонизированная система (редакция 2022 г.), единицы измерения, виды \
             упаковки, виды транспорта и Инкотермс 2020."
        }

        Key::AuditIntro => {
            "Все изменения на этом узле: кто, когда и откуда их выполнил. Сначала новые."
        }
        Key::AuditTime => "Время",
        Key::AuditActor => "Пользователь",
        Key::AuditAction => "Действие",
        Key::AuditTarget => "Объект",
        Key::AuditAddress => "Адрес",
        Key::AuditOutcome => "Результат",
        Key::AuditLoadMore => "Показать ещё",
        Key::AuditEmpty => "Журнал аудита пуст.",
        Key::AuditNoOlder => "Более ранних записей нет.",

        Key::NetworkIntro => {
            "Участники сети из списка доверия этого узла: состояние доставки каждому и последнее состояние его журнала, которое этот узел заверил своей подписью."
        }
        Key::NetworkTrustList => "Версия списка доверия",
        Key::NetworkNoTrustList => "Узел не входит в сеть: список доверия не загружен.",
        Key::NetworkNoPeers => "В списке доверия нет других участников.",
        Key::NetworkRefresh => "Обновить",
        Key::NetworkCountry => "Страна",
        Key::NetworkName => "Наименование",
        Key::NetworkEndpoint => "Внешний адрес",
        Key::NetworkQueued => "В очереди",
        Key::NetworkInFlight => "Отправляются",
        Key::NetworkDelivered => "Доставлено",
        Key::NetworkRefused => "Отклонено",
        Key::NetworkLastError => "Последняя ошибка",
        Key::NetworkCosigned => "Заверенный журнал",
        Key::NetworkNotCosigned => "ещё нет",
        Key::NetworkCosignedSize => "размер",
        Key::NetworkForks => "Ветвления",
        Key::NetworkForkAlert => {
            "Журнал {countries} раздвоился: у этого узла есть два противоречащих друг другу подписанных состояния журнала. Сохраните доказательства и сообщите администраторам этой страны."
        }
        Key::LedgerColumn => "Журнал этого узла",
        Key::LedgerChecking => "Проверка…",
        Key::LedgerVerified => "Проверено",
        Key::LedgerNotVerified => "Не проверено",
        Key::LedgerVerifiedTitle => {
            "В журнале этого узла: запись {index} из {size}, проверена в этом браузере по корню подписанного состояния журнала."
        }
        Key::LedgerFailedTitle => "Доказательство включения конверта в журнал не прошло проверку:",
        Key::LedgerCosignedBy => "заверено участниками: {n}",

        Key::LedgerIntro => {
            "Собственный журнал прозрачности узла: каждый отправленный или принятый конверт, подписанная узлом вершина дерева и заверения других участников. Сначала новые."
        }
        Key::LedgerRefresh => "Обновить",
        Key::LedgerOrigin => "Журнал",
        Key::LedgerTreeSize => "Записей в дереве",
        Key::LedgerRoot => "Корневой хеш",
        Key::LedgerCheckpointTitle => "Последняя контрольная точка",
        Key::LedgerNoCheckpoint => "Журнал ещё не подписал ни одной контрольной точки.",
        Key::LedgerSignedAt => "Подписана",
        Key::LedgerCosignaturesTitle => "Заверения",
        Key::LedgerNoCosignatures => "Ни один участник ещё не заверил эту контрольную точку.",
        Key::LedgerWitness => "Ключ заверителя",
        Key::LedgerCosignedAt => "Заверено",
        Key::LedgerReceivedAt => "Получено",
        Key::LedgerCheckpointsTitle => "Последние контрольные точки",
        Key::LedgerSize => "Размер",
        Key::LedgerEntriesTitle => "Записи",
        Key::LedgerIndex => "№",
        Key::LedgerLoggedAt => "Записано",
        Key::LedgerDirection => "Направление",
        Key::LedgerSent => "отправлен",
        Key::LedgerAccepted => "принят",
        Key::LedgerDocType => "Тип документа",
        Key::LedgerSender => "Отправитель",
        Key::LedgerRecipients => "Получатели",
        Key::LedgerAllMembers => "все участники",
        Key::LedgerEnvelope => "Конверт",
        Key::LedgerOlder => "Более ранние",
        Key::LedgerNoOlder => "Более ранних записей нет.",
        Key::LedgerEmpty => "Журнал пуст: узел ещё не отправил и не принял ни одного конверта.",

        Key::DirectoryLabel => "Справочник",
        Key::DirectorySearchLabel => "Поиск",
        Key::DirectorySearchPlaceholder => "Код или слова на русском или английском",
        Key::DirectoryCode => "Код",
        Key::DirectoryName => "Наименование",
        Key::DirectoryMatched => "Совпадение",
        Key::DirectoryNoHits => "В справочнике ничего не найдено.",
        Key::DirectoryNoEntries => "Справочник пуст.",
        Key::DirectoryMore => {
            "Показаны только первые записи; введите код или больше слов, чтобы сузить поиск."
        }
        Key::DirCountries => "Страны",
        Key::DirCurrencies => "Валюты",
        Key::DirHs => "Гармонизированная система 2022",
        Key::DirUnits => "Единицы измерения",
        Key::DirPackageTypes => "Виды упаковки",
        Key::DirTransportModes => "Виды транспорта",
        Key::DirIncoterms => "Инкотермс 2020",
        Key::DirAttrAlpha3 => "Альфа-3",
        Key::DirAttrMinorUnits => "Знаков после запятой",
        Key::DirAttrLevel => "Уровень",
        Key::DirAttrStatus => "Статус кода",
        Key::DirAttrModes => "Транспорт",
        Key::HsSection => "раздел",
        Key::HsChapter => "группа",
        Key::HsHeading => "товарная позиция",
        Key::HsSubheading => "субпозиция",
        Key::StatusCurrent => "действующий",
        Key::StatusLegacy => "устаревший",
        Key::ModesAny => "любой вид транспорта",
        Key::ModesSea => "морской и внутренний водный",
        Key::MatchedCode => "Совпал код",
        Key::MatchedEn => "Совпало английское название",
        Key::MatchedRu => "Совпало русское название",
        Key::MatchedOther => "Совпадение",

        Key::MeetingsIntro => {
            "Совещания, которые вы ведёте или на которые приглашены, сначала новые."
        }
        Key::MeetingsEmpty => "Совещаний пока нет.",
        Key::MeetingsNew => "Новое совещание",
        Key::MeetingTitleLabel => "Тема",
        Key::MeetingCaseLabel => "Дело (необязательно)",
        Key::MeetingDocumentLabel => "Документ (необязательно)",
        Key::MeetingInvitedLabel => "Приглашённые сотрудники",
        Key::MeetingInvitedHint => "Логины сотрудников этого узла через запятую",
        Key::MeetingCreate => "Создать",
        Key::MeetingCreating => "Создание…",
        Key::MeetingOpen => "Открыть",
        Key::MeetingHost => "Ведущий",
        Key::MeetingCreated => "Создано",
        Key::MeetingEndedBadge => "завершено",
        Key::MeetingBack => "Все совещания",
        Key::MeetingConnecting => "Подключение к узлу…",
        Key::MeetingJoining => "Вход в совещание…",
        Key::MeetingInLobby => "Ожидайте, пока ведущий впустит вас.",
        Key::MeetingInRoom => "Вы участвуете в совещании.",
        Key::MeetingLeftNotice => "Вы вышли из совещания.",
        Key::MeetingRemovedNotice => "Ведущий удалил вас из совещания.",
        Key::MeetingEndedNotice => "Совещание завершено.",
        Key::MeetingRefused => "Вы не можете войти в это совещание.",
        Key::MeetingLobby => "Ожидают входа",
        Key::MeetingAdmit => "Впустить",
        Key::MeetingParticipants => "Участники",
        Key::MeetingYou => "вы",
        Key::MeetingMutedBadge => "микрофон выключен",
        Key::MeetingHandBadge => "поднята рука",
        Key::MeetingMute => "Выключить микрофон",
        Key::MeetingUnmute => "Включить микрофон",
        Key::MeetingCameraOff => "Выключить камеру",
        Key::MeetingCameraOn => "Включить камеру",
        Key::MeetingRaiseHand => "Поднять руку",
        Key::MeetingLowerHand => "Опустить руку",
        Key::MeetingLeave => "Выйти",
        Key::MeetingMuteParticipant => "Выключить микрофон",
        Key::MeetingRemoveParticipant => "Удалить",
        Key::MeetingChat => "Чат",
        Key::MeetingChatPlaceholder => "Сообщение всем участникам",
        Key::MeetingSend => "Отправить",
        Key::MeetingDecisions => "Решения",
        Key::MeetingDecisionPlaceholder => "Решение для протокола",
        Key::MeetingRecordDecision => "Записать решение",
        Key::MeetingEnd => "Завершить совещание",
        Key::MeetingMinutes => "Протокол",
        Key::MeetingWaitingTitle => "Ожидание допуска от ведущего",
        Key::MeetingWaitingHint => {
            "Участники, чат и решения появятся здесь, когда ведущий впустит вас."
        }
        Key::MinutesTime => "Время",
        Key::MinutesEvent => "Событие",
        Key::MinutesWho => "Кто",
        Key::MinutesText => "Текст",
        Key::MinutesSigned => "Подписан узлом:",
        Key::MinutesWithheld => "(не показано: вас не было на совещании, когда это написали)",
        Key::MinutesNotSigned => "Узел ещё не подписал этот протокол.",
        Key::MinutesCreated => "Создано",
        Key::MinutesJoined => "Вошёл",
        Key::MinutesLeft => "Вышел",
        Key::MinutesRemoved => "Удалён",
        Key::MinutesChat => "Чат",
        Key::MinutesDecision => "Решение",
        Key::MinutesEnded => "Завершено",
        Key::MinutesOther => "Другое",
        Key::MediaOff => "Звук и видео выключены.",
        Key::MediaStarting => "Включение камеры и микрофона…",
        Key::MediaConnecting => "Подключение звука и видео…",
        Key::MediaConnected => "Звук и видео подключены.",
        Key::MediaUnavailable => {
            "Звук и видео недоступны: этот узел не передаёт медиа. Чат и управление работают."
        }
        Key::MediaNoDevices => {
            "Не удалось использовать камеру или микрофон. Вы можете следить за совещанием и писать в чат."
        }
        Key::MediaFailed => "Соединение для звука и видео прервалось.",
        Key::MediaNotInDesktop => {
            "Звук и видео в настольном приложении пока недоступны; для них войдите из браузера."
        }

        Key::LettersInbox => "Входящие",
        Key::LettersOutbox => "Исходящие",
        Key::LettersCompose => "Новое письмо",
        Key::LettersSearchLabel => "Поиск писем",
        Key::LettersSearchPlaceholder => "Слова из темы, текста или имени файла",
        Key::LettersRefresh => "Обновить",
        Key::LettersEmpty => "Писем пока нет.",
        Key::LettersNoHits => "По запросу писем не найдено.",
        Key::LetterNumber => "Рег. №",
        Key::LetterFrom => "От",
        Key::LetterTo => "Кому",
        Key::LetterSubject => "Тема",
        Key::LetterDate => "Дата",
        Key::LetterStatusLabel => "Статус",
        Key::LetterFiles => "Файлы",
        Key::LetterDeadline => "Срок ответа",
        Key::LetterOverdue => "Просрочено",
        Key::LetterUnread => "Не прочитано",
        Key::LetterAgency => "Ведомство",
        Key::LetterAgencyHint => "Если не указано, письмо адресовано таможенной службе.",
        Key::LetterBody => "Текст",
        Key::LetterReplyTo => "В ответ на",
        Key::LetterRecipientsHint => "Одна или несколько стран-участниц.",
        Key::LetterAttach => "Файлы",
        Key::LetterFilesHint => "PDF, изображения, офисные файлы; до 20 МБ каждый.",
        Key::LetterFileSaved => "Файл сохранён:",
        Key::LetterFileTooLarge => "больше 20 МБ — это предел для письма.",
        Key::LetterFileNotAdded => "не добавлен:",
        Key::LetterSend => "Отправить",
        Key::LetterSending => "Отправка…",
        Key::LetterUploading => "Добавление файлов…",
        Key::LetterCancel => "Отмена",
        Key::LetterBack => "К списку писем",
        Key::LetterReply => "Ответить",
        Key::LetterSendDraft => "Отправить черновик",
        Key::LetterDraftKept => {
            "Сохранено как черновик: выберите не добавленные файлы снова и отправьте или отправьте как есть. Текст изменить уже нельзя."
        }
        Key::LetterDelivery => "Доставка по странам",
        Key::LetterCountry => "Страна",
        Key::LetterTheirNumber => "Их рег. №",
        Key::LetterReceipt => "Квитанция: индекс журнала",
        Key::LetterRefusal => "Отказ",
        Key::LetterUpdated => "Обновлено",
        Key::LetterThread => "Другие письма по делу",
        Key::LetterThreadEmpty => "Других писем по делу нет.",
        Key::LetterAuthor => "Исполнитель",
        Key::LetterSenderNumber => "Рег. № отправителя",
        Key::LetterCase => "Дело",
        Key::LetterNoText => "(без текста)",
        Key::LetterNoFiles => "Файлов нет.",
        Key::LetterStatusDraft => "Черновик",
        Key::LetterStatusQueued => "В очереди",
        Key::LetterStatusDelivered => "Доставлено",
        Key::LetterStatusRegistered => "Зарегистрировано",
        Key::LetterStatusRead => "Прочитано",
        Key::LetterStatusAnswered => "Дан ответ",
        Key::LetterStatusRefused => "Отклонено",
        Key::LetterStatusOther => "Неизвестный статус",
        Key::SizeBytes => "Б",
        Key::SizeKb => "КБ",
        Key::SizeMb => "МБ",

        Key::SettingsNodeUrl => "Адрес узла",
        Key::SettingsNodeUrlHint => {
            "Адрес узла вашей страны, например https://sis.customs.example:8443"
        }
        Key::SettingsSave => "Сохранить",
        Key::SettingsSaved => "Настройки сохранены.",

        Key::ErrUnauthenticated => "Вы не вошли в систему. Войдите снова.",
        Key::ErrInvalidCredentials => "Неверный логин или пароль.",
        Key::ErrSessionExpired => "Сеанс завершён. Войдите снова.",
        Key::ErrAccountDisabled => "Учётная запись отключена. Обратитесь к администратору узла.",
        Key::ErrTooManyAttempts => "Слишком много неудачных попыток входа. Повторите позже.",
        Key::ErrForbidden => "Ваша роль не позволяет выполнить это действие.",
        Key::ErrBadRequest => "Запрос не принят: часть данных отсутствует или неверна.",
        Key::ErrPayloadTooLarge => "Отправленные данные слишком велики.",
        Key::ErrNotFound => "Не найдено.",
        Key::ErrConflict => "Это противоречит уже сохранённым данным.",
        Key::ErrUnavailable => "Узел временно недоступен. Повторите позже.",
        Key::ErrInternal => "Узел не смог выполнить запрос. Повторите позже.",
        Key::ErrNetwork => {
            "Узел недоступен, или его ответ не удалось прочитать. Проверьте подключение."
        }
        Key::ErrOutOfOrder => "Сейчас это сделать нельзя.",
        Key::ErrMeetingEnded => "Совещание завершено.",
        Key::ErrMediaUnavailable => "Звук и видео на этом узле недоступны.",
        Key::ErrUnknown => "Узел отклонил запрос.",
    }
}
